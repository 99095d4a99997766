namespace Feedback.Analytics.Conversations;

/// <summary>A turn's <c>turn_signals</c> row as the API shows it (docs/mining.md); null until the miner derived it.</summary>
public sealed record TurnSignalsView(
    int ReactionPolarity, long ThumbsUp, long ThumbsDown, double? RatingNormalized, bool Edited, double? EditDistanceRatio,
    bool Regenerated, long Chosen, long NotChosen, bool Copied, string? FollowUpLabel, float? FollowUpConfidence,
    bool Positive, bool Negative);
