namespace Feedback.Analytics.Trends;

/// <summary>
/// One time bucket of an evaluator series: the turns of the bucket with a result of the evaluator (each turn's newest),
/// their mean score (null without scores) and the share of the judged ones that failed (null when none says).
/// </summary>
public sealed record EvaluationPoint(DateTime Time, long EvaluatedTurns, long ScoredTurns, double? MeanScore, long JudgedTurns, double? FailedRate)
{
    public static EvaluationPoint From(EvaluationCounts c) => new(
        c.Time.UtcDateTime, c.EvaluatedTurns, c.ScoredTurns, c.ScoredTurns > 0 ? c.ScoreSum / c.ScoredTurns : null,
        c.JudgedTurns, TrendPoint.Rate(c.FailedTurns, c.JudgedTurns));
}
