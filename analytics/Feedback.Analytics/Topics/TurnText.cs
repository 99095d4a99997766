namespace Feedback.Analytics.Topics;

/// <summary>What the topic model reads of a negative turn: the request, the user's words about the answer, and the answer.</summary>
public sealed record TurnText(string Request, string Feedback, string Response)
{
    public static readonly TurnText Empty = new("", "", "");
}
