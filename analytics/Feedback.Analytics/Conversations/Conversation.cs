namespace Feedback.Analytics.Conversations;

/// <summary>
/// <c>GET /v1/conversations/{id}</c>: every turn in order, up to <see cref="ConversationReader.MaxViewBytes"/> of
/// events; <paramref name="Truncated"/> when later events were left out.
/// </summary>
public sealed record Conversation(string ConversationId, string UserId, IReadOnlyList<ConversationTurn> Turns, bool Truncated = false);
