namespace Feedback.Analytics.Trends;

/// <summary>One group's points of a <see cref="TrendReport"/>, oldest first.</summary>
public sealed record TrendSeries(string Key, IReadOnlyList<TrendPoint> Points);
