using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Analytics.Mining.Labels;

/// <summary>
/// Turns a turn's signals into one unpaired label (docs/mining.md, "Unpaired labels"). Every signal that says
/// something about the answer on its own casts a vote with a confidence; a turn has a clear signal when it has at
/// least one vote and all votes agree. Its label is their polarity and its confidence the strongest vote's (more
/// votes do not add up: a thumb and an emoji are often the same person in the same second).
/// </summary>
public static class LabelRules
{
    public const float ThumbConfidence = 0.8f;
    public const float RatingConfidence = 0.75f;
    public const float EmojiConfidence = 0.7f;
    public const float HeavyEditConfidence = 0.8f;
    public const float RegenerateConfidence = 0.6f;
    public const float CopyConfidence = 0.55f;

    /// <summary>A follow-up's vote: this times the classifier's probability (the label can be wrong).</summary>
    public const float FollowUpWeight = 0.8f;

    /// <summary>A rephrase may be the user's own unclear request, so it counts a little less.</summary>
    public const float RephraseWeight = 0.7f;

    /// <summary>Follow-up labels below this probability cast no vote.</summary>
    public const float MinFollowUpConfidence = 0.5f;

    /// <summary>Ratings at or above this share of their scale are positive (as for regenerate pairs).</summary>
    public const double HighRating = 0.8;

    /// <summary>Ratings at or below this share of their scale are negative.</summary>
    public const double LowRating = 0.4;

    /// <summary>An edit changing at least this share of the answer rejects it; a lighter one is a touch-up, no vote.</summary>
    public const double HeavyEdit = 0.3;

    public static LabelVerdict Decide(TurnSignals s)
    {
        var votes = Votes(s).ToList();
        var positive = votes.Any(v => v.Polarity > 0);
        var negative = votes.Any(v => v.Polarity < 0);
        var signals = votes.Select(v => v.Signal).ToList();
        if (votes.Count == 0 || (positive && negative))
            return new LabelVerdict(0, 0, "", signals, votes.Select(v => v.Evidence).ToHashSet());
        var strongest = votes.MaxBy(v => v.Confidence)!;
        return new LabelVerdict((sbyte)(positive ? 1 : -1), strongest.Confidence, strongest.Evidence, signals, votes.Select(v => v.Evidence).ToHashSet());
    }

    private static IEnumerable<Vote> Votes(TurnSignals s)
    {
        if (s.ThumbsUp > 0) yield return new("thumb_up", LabelSources.Reaction, 1, ThumbConfidence);
        if (s.ThumbsDown > 0) yield return new("thumb_down", LabelSources.Reaction, -1, ThumbConfidence);
        if (s.RatingNormalized >= HighRating) yield return new("rating_high", LabelSources.Reaction, 1, RatingConfidence);
        if (s.RatingNormalized <= LowRating) yield return new("rating_low", LabelSources.Reaction, -1, RatingConfidence);
        if (s.EmojiPolarity != 0) yield return new(s.EmojiPolarity > 0 ? "emoji_positive" : "emoji_negative", LabelSources.Reaction, s.EmojiPolarity, EmojiConfidence);
        if (s.Edited == 1 && s.EditDistanceRatio >= HeavyEdit) yield return new("heavy_edit", LabelSources.Edit, -1, HeavyEditConfidence);
        if (s.Regenerated == 1) yield return new("regenerate", LabelSources.Regenerate, -1, RegenerateConfidence);
        if (s.Copied == 1) yield return new("copy", LabelSources.Copy, 1, CopyConfidence);
        if (s.FollowUpConfidence is { } p && p >= MinFollowUpConfidence)
        {
            var vote = s.FollowUpLabel switch
            {
                FollowUpLabels.Positive => new Vote("follow_up_positive", LabelSources.FollowUp, 1, FollowUpWeight * p),
                FollowUpLabels.Complaint or FollowUpLabels.Correction => new Vote("follow_up_" + s.FollowUpLabel, LabelSources.FollowUp, -1, FollowUpWeight * p),
                FollowUpLabels.Rephrase => new Vote("follow_up_rephrase", LabelSources.FollowUp, -1, RephraseWeight * p),
                _ => null, // clarification and none say nothing about good or bad
            };
            if (vote is not null) yield return vote;
        }
    }

    private sealed record Vote(string Signal, string Evidence, int Polarity, float Confidence);
}

/// <summary>
/// A turn's label: +1, -1, or 0 when there is no clear signal; the source is the strongest vote's kind of
/// evidence, <paramref name="Evidence"/> the kinds of events that voted (their ids are the lineage).
/// </summary>
public sealed record LabelVerdict(sbyte Label, float Confidence, string Source, IReadOnlyList<string> Signals, IReadOnlySet<string> Evidence);

/// <summary>What kind of event decided a label: the <c>source</c> of a label row and its export filter.</summary>
public static class LabelSources
{
    /// <summary>Thumbs, ratings and emoji.</summary>
    public const string Reaction = "reaction";
    public const string Edit = "edit";
    public const string Regenerate = "regenerate";
    public const string Copy = "copy";
    public const string FollowUp = "follow_up";
}
