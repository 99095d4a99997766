using Feedback.Events;

namespace Feedback.Simulation;

/// <summary>A whole simulated run: every conversation's events and turns, and every pair expected, cross-conversation ones included.</summary>
public sealed record SimulatedRun(IReadOnlyList<FeedbackEvent> Events, IReadOnlyList<SimulatedTurn> Turns, IReadOnlyList<ExpectedPair> Pairs);
