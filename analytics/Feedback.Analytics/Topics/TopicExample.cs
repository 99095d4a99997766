namespace Feedback.Analytics.Topics;

public sealed record TopicExample(string ConversationId, string TurnId, string Request, string Feedback);
