using Feedback.Events;

namespace Feedback.Analytics.Conversations;

/// <summary>A turn of a <see cref="Conversation"/>: the request and answer, its signals and the feedback about it.</summary>
public sealed record ConversationTurn(
    string TurnId, DateTimeOffset Timestamp, string Model, string ModelVersion, string PromptTemplate, string Stage,
    IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<RequestMessage> Request, string Response,
    TurnSignalsView? Signals, IReadOnlyList<FeedbackItem> Feedback);
