namespace Feedback.Benchmarks;

/// <summary>
/// One realistic call of each Track method on a client that sends nothing while measured (the flush interval is
/// an hour, no batch fills). Shared by <see cref="TrackBenchmarks"/> and the instruction-count driver
/// (<see cref="InstructionDriver"/>), so both measure the same calls.
/// </summary>
public sealed class TrackCalls(int queueCapacity)
{
    private static readonly TurnRef Turn = new("user-1", "session-1", "conversation-1", "turn-1");
    private static readonly TurnRef Other = new("user-1", "session-1", "conversation-1", "turn-2");
    private static readonly TurnRef[] Shown = [Turn, Other];
    private static readonly DisplayContext Display = new() { Position = 0, Shown = Shown, ControlVisible = true };
    private static readonly Turn TurnInput = new()
    {
        UserId = "user-1",
        SessionId = "session-1",
        ConversationId = "conversation-1",
        Prompt = "How do I reverse a list in Python?",
        Response = "Use slicing: xs[::-1].",
        Model = "gpt-4o-mini",
        ModelVersion = "2024-07-18",
    };

    public FeedbackClient Client { get; } = new(new FeedbackClientOptions
    {
        Endpoint = new Uri($"http://127.0.0.1:{ClosedPort.Next()}"),
        WriteKey = "k",
        QueueCapacity = queueCapacity,
        FlushInterval = TimeSpan.FromHours(1),
        MaxBatchSize = int.MaxValue,
        MaxAttempts = 1,
        ShutdownTimeout = TimeSpan.FromMinutes(5), // Dispose returns once the sender drained: nothing of it overlaps the next iteration
    });

    public static IReadOnlyList<string> Names { get; } =
        ["TrackTurn", "TrackReaction", "TrackReactionWithDisplay", "TrackEdit", "TrackFollowUp", "TrackRegenerate", "TrackChoice", "TrackCopy"];

    public TurnRef TrackTurn() => Client.TrackTurn(TurnInput);

    public void TrackReaction() => Client.TrackReaction(Turn, Reaction.ThumbsUp);

    public void TrackReactionWithDisplay() => Client.TrackReaction(Turn, Reaction.ThumbsUp, display: Display);

    public void TrackEdit() => Client.TrackEdit(Turn, "Use slicing: reversed_xs = xs[::-1].");

    public void TrackFollowUp() => Client.TrackFollowUp(Turn, "thanks, that worked");

    public void TrackRegenerate() => Client.TrackRegenerate(Turn, Other);

    public void TrackChoice() => Client.TrackChoice(Other, Shown);

    public void TrackCopy() => Client.TrackCopy(Turn);

    public Action Call(string name) => name switch
    {
        "TrackTurn" => () => TrackTurn(),
        "TrackReaction" => TrackReaction,
        "TrackReactionWithDisplay" => TrackReactionWithDisplay,
        "TrackEdit" => TrackEdit,
        "TrackFollowUp" => TrackFollowUp,
        "TrackRegenerate" => TrackRegenerate,
        "TrackChoice" => TrackChoice,
        "TrackCopy" => TrackCopy,
        _ => throw new ArgumentException($"no Track call named {name}; one of: {string.Join(", ", Names)}", nameof(name)),
    };
}
