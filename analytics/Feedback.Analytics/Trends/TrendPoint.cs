using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Analytics.Trends;

/// <summary>One time bucket of a series. Rates are fractions of <see cref="Turns"/>; null over zero turns.</summary>
public sealed record TrendPoint(
    DateTime Time, long Turns, long FeedbackTurns, double? FeedbackRate, double? PositiveRate, double? NegativeRate,
    IReadOnlyDictionary<string, double?> FollowUpRates, double? EditRate, double? MeanEditDistance, double? RegenerateRate,
    double? ChoiceRate, long Pairs)
{
    public static TrendPoint From(TurnCounts c) => new(
        c.Time.UtcDateTime, c.Turns, c.FeedbackTurns, Rate(c.FeedbackTurns, c.Turns), Rate(c.PositiveTurns, c.Turns), Rate(c.NegativeTurns, c.Turns),
        FollowUpLabels.All.Select((label, i) => KeyValuePair.Create(label, Rate(c.FollowUps[i], c.Turns))).ToDictionary(),
        Rate(c.EditedTurns, c.Turns), c.EditedTurns > 0 ? c.EditDistanceSum / c.EditedTurns : null,
        Rate(c.RegeneratedTurns, c.Turns), Rate(c.ChoiceTurns, c.Turns), c.Pairs);

    internal static double? Rate(long count, long turns) => turns > 0 ? (double)count / turns : null;
}
