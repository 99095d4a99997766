using System.Text.RegularExpressions;
using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Training.FollowUps;

/// <summary>A plain rule list, to show what the trained classifier adds over keywords (docs/mining.md).</summary>
public static partial class KeywordBaseline
{
    public static string Classify(FollowUp turn)
    {
        var text = turn.Followup.ToLowerInvariant();
        if (RephraseWords().IsMatch(text)) return FollowUpLabels.Rephrase;
        var negative = NegativeWords().IsMatch(text);
        if (negative) return FixWords().IsMatch(text) ? FollowUpLabels.Correction : FollowUpLabels.Complaint;
        if (PraiseWords().IsMatch(text)) return FollowUpLabels.Positive;
        if (ClarifyWords().IsMatch(text)) return FollowUpLabels.Clarification;
        return FollowUpLabels.None;
    }

    [GeneratedRegex(@"\b(i meant|i mean|rephrase|i asked|my question|again)\b")]
    private static partial Regex RephraseWords();

    [GeneratedRegex(@"\b(wrong|incorrect|not right|not correct|useless|doesn't work|bad|no|nope)\b")]
    private static partial Regex NegativeWords();

    [GeneratedRegex(@"\b(it's|should be|actually|correct answer|use)\b")]
    private static partial Regex FixWords();

    [GeneratedRegex(@"\b(thanks|thank you|thx|great|perfect|worked|helpful|awesome)\b")]
    private static partial Regex PraiseWords();

    [GeneratedRegex(@"\?|\b(why|sure)\b")]
    private static partial Regex ClarifyWords();
}
