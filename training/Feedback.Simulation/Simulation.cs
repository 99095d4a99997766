using Feedback.Events;

namespace Feedback.Simulation;

/// <summary>What to simulate. Everything follows from <see cref="Seed"/>: the same options give the same events.</summary>
public sealed record SimulationOptions
{
    public int Seed { get; init; } = 1;

    public int Conversations { get; init; } = 1_000;

    public string Project { get; init; } = "sim";

    /// <summary>Distinct users; by default one per five conversations.</summary>
    public int? Users { get; init; }

    /// <summary>Share of users who react at random, whatever the answer (noise).</summary>
    public double RandomReactors { get; init; } = 0.03;

    public DateTimeOffset Start { get; init; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Time between the starts of two conversations (each starts at a random moment within it).</summary>
    public TimeSpan Spacing { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>One simulated conversation: its events in time order, its turns, and the pairs it should yield on its own.</summary>
public sealed record SimulatedConversation(IReadOnlyList<FeedbackEvent> Events, IReadOnlyList<SimulatedTurn> Turns, IReadOnlyList<ExpectedPair> Pairs);

/// <summary>
/// A turn with its hidden truth: whether the answer is good, and the one explicit reaction it got (if any), so
/// unpaired labels and reaction models can be scored too. <see cref="Honest"/> is false for random reactors.
/// </summary>
public sealed record SimulatedTurn(
    string TurnId, string ConversationId, string UserId, string Model, string ModelVersion, IReadOnlyList<RequestMessage> Request,
    string Response, int TopicIndex, bool Good, bool Honest, Reacted Reaction);

/// <summary>The explicit reaction a simulated turn got.</summary>
public enum Reacted
{
    None,
    Positive,
    Negative,
    PositiveRating,
    NegativeRating,
}

/// <summary>
/// A pair mining should find. A mined pair matches when source, turn id and rejected text are equal and its
/// chosen text is one of <see cref="Chosen"/> (for most sources exactly one text; for same-request pairs any good
/// answer to the request, since which approved answer is picked is the miner's choice).
/// </summary>
public sealed record ExpectedPair(string Source, string TurnId, string Rejected, IReadOnlySet<string> Chosen);

/// <summary>A whole simulated run: every conversation's events and turns, and every pair expected, cross-conversation ones included.</summary>
public sealed record SimulatedRun(IReadOnlyList<FeedbackEvent> Events, IReadOnlyList<SimulatedTurn> Turns, IReadOnlyList<ExpectedPair> Pairs);
