namespace Feedback.Analytics.Topics;

/// <summary>One row of <c>topics</c>.</summary>
public sealed record TopicRow(string Project, uint TopicId, uint Fit, string Label, IReadOnlyList<string> Terms, DateTimeOffset FittedAt);
