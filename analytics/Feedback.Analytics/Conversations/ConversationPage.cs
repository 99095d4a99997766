namespace Feedback.Analytics.Conversations;

/// <summary>A page of <c>GET /v1/conversations</c>.</summary>
public sealed record ConversationPage(int Page, int PageSize, bool HasMore, IReadOnlyList<ConversationSummary> Conversations);
