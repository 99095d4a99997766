namespace Feedback.Analytics.Trends;

/// <summary>The answer of <c>GET /v1/compare</c>: two values of a field and the differences <c>b − a</c>.</summary>
public sealed record ComparisonReport(
    DateTime From, DateTime To, string Field, double Confidence, ComparedGroup A, ComparedGroup B,
    RateDifference PositiveRateDifference, RateDifference NegativeRateDifference);
