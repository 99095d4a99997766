using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Analytics.Trends;

/// <summary>One group's counts; <see cref="FollowUps"/> is in the order of <see cref="FollowUpLabels.All"/>.</summary>
public sealed record TurnCounts(
    string Key, DateTimeOffset Time, long Turns, long FeedbackTurns, long PositiveTurns, long NegativeTurns,
    IReadOnlyList<long> FollowUps, long EditedTurns, double EditDistanceSum, long RegeneratedTurns, long ChoiceTurns, long Pairs);
