using System.Text.RegularExpressions;

namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// Hand-made numeric features that relate the follow-up to the turn, which a bag of words over the follow-up
/// alone cannot see: a rephrase repeats the prompt's words, a correction brings words that are in neither the
/// prompt nor the answer. All values are in 0..1.
/// </summary>
public static partial class FollowUpCues
{
    public const int Count = 13;

    private static readonly HashSet<string> StopWords =
    [
        "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "is", "it", "its", "it's", "that", "this", "i",
        "you", "me", "my", "your", "what", "how", "do", "does", "did", "be", "are", "was", "with", "at", "as", "by",
        "not", "no", "but", "so", "can", "please", "thanks", "ok", "okay",
    ];

    public static float[] Compute(FollowUp turn)
    {
        var text = turn.Followup.ToLowerInvariant();
        var words = Words().Matches(text); // matched once: the content words and the word count both come from it
        var followup = ContentWords(words);
        var prompt = ContentWords(Words().Matches(turn.Prompt.ToLowerInvariant())).ToHashSet();
        var response = ContentWords(Words().Matches(turn.Response.ToLowerInvariant())).ToHashSet();
        var denominator = Math.Max(1, followup.Count);
        return
        [
            followup.Count(prompt.Contains) / (float)denominator,
            followup.Count(response.Contains) / (float)denominator,
            followup.Count(w => !prompt.Contains(w) && !response.Contains(w)) / (float)denominator,
            text.Contains('?', StringComparison.Ordinal) ? 1 : 0,
            Negative().IsMatch(text) ? 1 : 0,
            Fix().IsMatch(text) ? 1 : 0,
            Praise().IsMatch(text) ? 1 : 0,
            Rephrase().IsMatch(text) ? 1 : 0,
            Question().IsMatch(text) ? 1 : 0,
            text.Any(char.IsDigit) ? 1 : 0,
            Math.Min(3f, words.Count / (float)Math.Max(1, Words().Count(turn.Prompt))) / 3f,
            Math.Min(1f, MathF.Log(1 + words.Count) / 4f),
            RefersBack().IsMatch(text) ? 1 : 0,
        ];
    }

    private static List<string> ContentWords(MatchCollection words) =>
        words.Select(m => m.Value).Where(w => !StopWords.Contains(w)).ToList();

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Words();

    [GeneratedRegex(@"\b(wrong|incorrect|not (right|correct|quite)|nope|mistake|mixed|useless|garbage|terrible|bad|doesn't work|didn't help|no)\b")]
    private static partial Regex Negative();

    [GeneratedRegex(@"\b(it's|it is|should be|actually|correct (answer|one)|use|instead|the other way|not \w+)\b")]
    private static partial Regex Fix();

    [GeneratedRegex(@"\b(thanks|thank|thx|ty|perfect|great|awesome|brilliant|excellent|worked|works|helpful|helped|love|nice|spot on|lifesaver)\b")]
    private static partial Regex Praise();

    [GeneratedRegex(@"\b(i meant|i mean|my question|rephrase|i asked|again|misunderstood|put it another way|to be clearer|once more|ask differently|wasn't clear|what i want)\b")]
    private static partial Regex Rephrase();

    // A question about the answer points back at it; a new request does not.
    [GeneratedRegex(@"\b(that|this|it|you|your|sure|really|mean|explain|source|check)\b")]
    private static partial Regex RefersBack();

    [GeneratedRegex(@"^\W*(\w+[,.]?\s+)?(are|is|why|what|how|where|does|can|could|really|source|and)\b")]
    private static partial Regex Question();
}
