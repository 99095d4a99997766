using Feedback.Analytics.Trends;

namespace Feedback.Analytics.Topics;

/// <summary>What to read: the range (from inclusive, to exclusive), the trend's interval and how many topics.</summary>
public sealed record TopicQuery(DateTimeOffset From, DateTimeOffset To, TrendInterval Interval, int Limit);
