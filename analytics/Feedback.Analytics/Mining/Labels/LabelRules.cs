namespace Feedback.Analytics.Mining.Labels;

/// <summary>
/// Turns a turn's signals into one unpaired label (docs/mining.md, "Unpaired labels"). Every signal that says
/// something about the answer on its own casts a vote with a confidence; a turn has a clear signal when it has at
/// least one vote and all votes agree. Its label is their polarity and its confidence the strongest vote's (more
/// votes do not add up: a thumb and an emoji are often the same person in the same second). The votes are SQL
/// (in <see cref="TurnLabelJob"/>'s statement, with <see cref="Parameters"/>), so turns are labelled in ClickHouse without moving them to C#.
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

    /// <summary>The values of the votes' parameters in <see cref="TurnLabelJob"/>'s statement: the constants above.</summary>
    public static IReadOnlyDictionary<string, object?> Parameters { get; } = new Dictionary<string, object?>
    {
        ["thumb_confidence"] = ThumbConfidence,
        ["rating_confidence"] = RatingConfidence,
        ["emoji_confidence"] = EmojiConfidence,
        ["heavy_edit_confidence"] = HeavyEditConfidence,
        ["regenerate_confidence"] = RegenerateConfidence,
        ["copy_confidence"] = CopyConfidence,
        ["follow_up_weight"] = FollowUpWeight,
        ["rephrase_weight"] = RephraseWeight,
        ["min_follow_up_confidence"] = MinFollowUpConfidence,
        ["high_rating"] = HighRating,
        ["low_rating"] = LowRating,
        ["heavy_edit"] = HeavyEdit,
    };
}
