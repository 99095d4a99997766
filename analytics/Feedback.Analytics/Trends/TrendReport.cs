using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Analytics.Trends;

/// <summary>
/// The answer of <c>GET /v1/trends</c> (docs/read-api.md): one series per breakdown value, and apart from them one
/// evaluator series per breakdown value and evaluation name (evaluator-sourced, in none of the feedback rates).
/// </summary>
public sealed record TrendReport(
    DateTime From, DateTime To, string Interval, string? By, IReadOnlyList<TrendSeries> Series, IReadOnlyList<EvaluationSeries> Evaluations);

public sealed record TrendSeries(string Key, IReadOnlyList<TrendPoint> Points);

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

/// <summary>The answer of <c>GET /v1/compare</c>: two values of a field and the differences <c>b − a</c>.</summary>
public sealed record ComparisonReport(
    DateTime From, DateTime To, string Field, double Confidence, ComparedGroup A, ComparedGroup B,
    RateDifference PositiveRateDifference, RateDifference NegativeRateDifference);

public sealed record ComparedGroup(string Value, long Turns, long PositiveTurns, long NegativeTurns, double? PositiveRate, double? NegativeRate);

/// <summary>An estimate of <c>b − a</c> with its confidence interval; null when a side has no turns.</summary>
public sealed record RateDifference(double? Estimate, double? Low, double? High, bool Significant);
