namespace Feedback.Analytics.Trends;

/// <summary>
/// The answer of <c>GET /v1/trends</c> (docs/read-api.md): one series per breakdown value, and apart from them one
/// evaluator series per breakdown value and evaluation name (evaluator-sourced, in none of the feedback rates).
/// </summary>
public sealed record TrendReport(
    DateTime From, DateTime To, string Interval, string? By, IReadOnlyList<TrendSeries> Series, IReadOnlyList<EvaluationSeries> Evaluations);
