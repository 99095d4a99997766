namespace Feedback.Events;

/// <summary>
/// The values of an evaluation's <c>evaluation_rating</c>: Microsoft.Extensions.AI.Evaluation's
/// <c>EvaluationRating</c> names in lower case, so that its interpretations come across unchanged.
/// </summary>
public static class EvaluationRatings
{
    public const string Unknown = "unknown";
    public const string Inconclusive = "inconclusive";
    public const string Unacceptable = "unacceptable";
    public const string Poor = "poor";
    public const string Average = "average";
    public const string Good = "good";
    public const string Exceptional = "exceptional";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Unknown, Inconclusive, Unacceptable, Poor, Average, Good, Exceptional,
    };
}
