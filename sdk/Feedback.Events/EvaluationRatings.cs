namespace Feedback.Events;

/// <summary>
/// The values of an evaluation's <c>evaluation_rating</c>: Microsoft.Extensions.AI.Evaluation's
/// <c>EvaluationRating</c> names in lower case, so that its interpretations come across unchanged.
/// </summary>
public static class EvaluationRatings
{
    /// <summary>The evaluator could not rate the result.</summary>
    public const string Unknown = "unknown";

    /// <summary>The result does not decide either way.</summary>
    public const string Inconclusive = "inconclusive";

    /// <summary>Far below the bar.</summary>
    public const string Unacceptable = "unacceptable";

    /// <summary>Below the bar.</summary>
    public const string Poor = "poor";

    /// <summary>At the bar.</summary>
    public const string Average = "average";

    /// <summary>Above the bar.</summary>
    public const string Good = "good";

    /// <summary>Far above the bar.</summary>
    public const string Exceptional = "exceptional";

    /// <summary>Every rating above.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Unknown, Inconclusive, Unacceptable, Poor, Average, Good, Exceptional,
    };
}
