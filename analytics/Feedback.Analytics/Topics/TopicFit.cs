namespace Feedback.Analytics.Topics;

/// <summary>One row of <c>topic_models</c>.</summary>
public sealed record TopicFit(string Project, uint Fit, string Model, IReadOnlyList<uint> ClusterTopics, long Turns, DateTimeOffset FittedAt);
