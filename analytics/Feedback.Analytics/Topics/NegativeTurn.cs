namespace Feedback.Analytics.Topics;

/// <summary>A negative turn and its text: the request, and the user's words about the answer.</summary>
public sealed record NegativeTurn(string TurnId, string ConversationId, DateTimeOffset TurnTimestamp, string Request, string Feedback, string Response)
{
    /// <summary>What the topic model reads.</summary>
    public TurnText Text => new(Request, Feedback, Response);
}
