namespace Feedback.Analytics.Conversations;

/// <summary>One feedback event about a turn: its kind, when, and what the user did in words.</summary>
public sealed record FeedbackItem(string Kind, DateTimeOffset Timestamp, string Text);
