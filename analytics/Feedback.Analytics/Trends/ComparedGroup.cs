namespace Feedback.Analytics.Trends;

/// <summary>One side of a <see cref="ComparisonReport"/>: its turns and how many were judged positive and negative.</summary>
public sealed record ComparedGroup(string Value, long Turns, long PositiveTurns, long NegativeTurns, double? PositiveRate, double? NegativeRate);
