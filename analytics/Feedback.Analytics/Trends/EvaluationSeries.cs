namespace Feedback.Analytics.Trends;

/// <summary>
/// An evaluator's results over time for one breakdown value (<see cref="Key"/>, as in <see cref="TrendSeries"/>).
/// <see cref="Source"/> is always <see cref="EvaluatorSource"/>: these are an automated judge's scores, not user
/// feedback, and are in none of the feedback rates.
/// </summary>
public sealed record EvaluationSeries(
    string Key, string EvaluationName, IReadOnlyList<EvaluationPoint> Points, string Source = EvaluationSeries.EvaluatorSource)
{
    public const string EvaluatorSource = "evaluator";
}
