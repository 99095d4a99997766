namespace Feedback.Analytics.Conversations;

/// <summary>A conversation in a list; counts are of its turns that the filter selects.</summary>
public sealed record ConversationSummary(
    string ConversationId, string UserId, DateTimeOffset StartedAt, DateTimeOffset LastAt, long Turns,
    IReadOnlyList<string> Models, long Positive, long Negative, long WithFeedback);
