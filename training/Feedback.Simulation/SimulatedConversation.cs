using Feedback.Events;

namespace Feedback.Simulation;

/// <summary>One simulated conversation: its events in time order, its turns, and the pairs it should yield on its own.</summary>
public sealed record SimulatedConversation(IReadOnlyList<FeedbackEvent> Events, IReadOnlyList<SimulatedTurn> Turns, IReadOnlyList<ExpectedPair> Pairs);
