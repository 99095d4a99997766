namespace Feedback.Analytics.Topics;

public sealed record TopicView(string Id, string Label, IReadOnlyList<string> Terms, long Size, IReadOnlyList<TopicTrendPoint> Trend, IReadOnlyList<TopicExample> Examples);
