namespace Feedback.Analytics.Topics;

public sealed record TopicTrendPoint(DateTime Time, long Count);
