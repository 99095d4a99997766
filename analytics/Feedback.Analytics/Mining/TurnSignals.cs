namespace Feedback.Analytics.Mining;

/// <summary>One row of <c>turn_signals</c>.</summary>
public sealed record TurnSignals(
    string Project, string TurnId, string ConversationId, string UserId, string Model, string ModelVersion,
    DateTimeOffset TurnTimestamp, sbyte ReactionPolarity, long ThumbsUp, long ThumbsDown, sbyte EmojiPolarity,
    double? RatingNormalized, byte Edited, double? EditDistanceRatio, byte Regenerated, long Chosen, long NotChosen,
    byte Copied, string FollowUpLabel, float? FollowUpConfidence, long EventCount, DateTimeOffset EventsReceivedAt, DateTimeOffset DerivedAt)
{
    /// <summary>The turn's breakdowns for trends (migration 0013); outside the constructor so existing callers stay as they are.</summary>
    public string PromptTemplate { get; init; } = "";

    public string Stage { get; init; } = "";

    public MetadataMap Metadata { get; init; } = [];
}
