namespace Feedback.Analytics.Reviews;

/// <summary>
/// A follow-up waiting for a person: what the user asked (the request's last user message), the answer, the user's
/// follow-up, the label proposed for it and how sure its proposer is (<see cref="ProposedBy"/>: the classifier, or
/// the app's LLM), and why it disagrees with the turn's other signals, if it does.
/// </summary>
public sealed record ReviewQueueItem(
    Guid EventId,
    string ConversationId,
    string TurnId,
    DateTimeOffset FollowUpAt,
    string Request,
    string Response,
    string FollowUp,
    string ProposedLabel,
    float Confidence,
    string ProposedBy,
    string? Disagreement);
