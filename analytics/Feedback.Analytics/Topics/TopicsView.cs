namespace Feedback.Analytics.Topics;

public sealed record TopicsView(IReadOnlyList<TopicView> Topics);
