namespace Feedback.Events;

/// <summary>One message of a turn's request. A plain prompt string is read as one user message.</summary>
public sealed record RequestMessage(string Role, string Content);
