namespace Feedback.Analytics.Topics;

/// <summary>One row of <c>topic_assignments</c>.</summary>
public sealed record TopicAssignment(
    string Project, string TurnId, string ConversationId, DateTimeOffset TurnTimestamp, uint TopicId, uint Fit, float Distance, DateTimeOffset AssignedAt);
