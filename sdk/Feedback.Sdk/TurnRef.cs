namespace Feedback;

/// <summary>Identifies a turn and who it belongs to; every feedback call takes one. Store it next to the message in your UI.</summary>
public readonly record struct TurnRef(string UserId, string SessionId, string ConversationId, string TurnId);
