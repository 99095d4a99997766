using Feedback.Events;
using Microsoft.Extensions.AI.Evaluation;

namespace Feedback.AI;

/// <summary>
/// Microsoft.Extensions.AI.Evaluation results as <c>evaluation</c> events (docs/sdk.md, "Evaluations"): one event per
/// metric of an <see cref="EvaluationResult"/>, about the turn that was evaluated.
/// </summary>
public static class FeedbackEvaluationExtensions
{
    /// <summary>Records every metric of <paramref name="result"/> on <paramref name="turn"/>; never throws.</summary>
    public static void TrackEvaluation(this FeedbackClient feedback, TurnRef turn, EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        feedback.TrackEvaluations(turn, result.ToFeedbackEvaluations()); // read lazily, inside the client's guard
    }

    /// <summary>
    /// The metrics as evaluations: a <see cref="NumericMetric"/>'s value is the score, a <see cref="BooleanMetric"/>'s
    /// is the score 1 or 0, a <see cref="StringMetric"/>'s the label; the interpretation gives the rating and
    /// whether it failed; the reason is the metric's, else the interpretation's. A metric with neither a value nor an
    /// interpretation (the evaluator could not score it: see its diagnostics) has no result to record and is skipped.
    /// </summary>
    public static IEnumerable<Evaluation> ToFeedbackEvaluations(this EvaluationResult result)
    {
        foreach (var metric in result.Metrics.Values)
        {
            var evaluation = new Evaluation
            {
                Name = metric.Name,
                Score = metric switch
                {
                    NumericMetric numeric => numeric.Value,
                    BooleanMetric boolean => boolean.Value is { } value ? (value ? 1 : 0) : null,
                    _ => null,
                },
                Label = (metric as StringMetric)?.Value,
                Failed = metric.Interpretation?.Failed,
                Rating = metric.Interpretation is { } interpretation ? Rating(interpretation.Rating) : null,
                Reason = metric.Reason ?? metric.Interpretation?.Reason,
            };
            if (evaluation.Score is null && evaluation.Label is null && evaluation.Failed is null) continue;
            yield return evaluation;
        }
    }

    private static string Rating(EvaluationRating rating) => rating switch
    {
        EvaluationRating.Inconclusive => EvaluationRatings.Inconclusive,
        EvaluationRating.Unacceptable => EvaluationRatings.Unacceptable,
        EvaluationRating.Poor => EvaluationRatings.Poor,
        EvaluationRating.Average => EvaluationRatings.Average,
        EvaluationRating.Good => EvaluationRatings.Good,
        EvaluationRating.Exceptional => EvaluationRatings.Exceptional,
        _ => EvaluationRatings.Unknown,
    };
}
