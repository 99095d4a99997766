using Feedback.Events;

namespace Feedback.Simulation;

/// <summary>
/// A turn with its hidden truth: whether the answer is good, and the one explicit reaction it got (if any), so
/// unpaired labels and reaction models can be scored too. <see cref="Honest"/> is false for random reactors.
/// </summary>
public sealed record SimulatedTurn(
    string TurnId, string ConversationId, string UserId, string Model, string ModelVersion, IReadOnlyList<RequestMessage> Request,
    string Response, int TopicIndex, bool Good, bool Honest, Reacted Reaction);
