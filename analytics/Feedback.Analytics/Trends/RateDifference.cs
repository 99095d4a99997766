namespace Feedback.Analytics.Trends;

/// <summary>An estimate of <c>b − a</c> with its confidence interval; null when a side has no turns.</summary>
public sealed record RateDifference(double? Estimate, double? Low, double? High, bool Significant);
