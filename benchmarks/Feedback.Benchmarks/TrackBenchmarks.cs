using BenchmarkDotNet.Attributes;
using Feedback;

namespace Feedback.Benchmarks;

/// <summary>
/// What one Track call costs the app's thread: building the event and enqueueing it. Nothing is sent during
/// an iteration (the flush interval is an hour); the queue is emptied between iterations.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(200_000)]
public class TrackBenchmarks
{
    private static readonly TurnRef Turn = new("user-1", "session-1", "conversation-1", "turn-1");
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

    private FeedbackClient client = null!;

    [IterationSetup]
    public void Setup() => client = new FeedbackClient(new FeedbackClientOptions
    {
        Endpoint = new Uri($"http://127.0.0.1:{ClosedPort.Next()}"),
        WriteKey = "k",
        QueueCapacity = 1_000_000,
        FlushInterval = TimeSpan.FromHours(1),
        MaxBatchSize = int.MaxValue,
        MaxAttempts = 1,
        ShutdownTimeout = TimeSpan.Zero,
    });

    [IterationCleanup]
    public void Cleanup() => client.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public void TrackReaction() => client.TrackReaction(Turn, Reaction.ThumbsUp);

    [Benchmark]
    public void TrackEdit() => client.TrackEdit(Turn, "Use slicing: reversed_xs = xs[::-1].");

    [Benchmark]
    public void TrackFollowUp() => client.TrackFollowUp(Turn, "thanks, that worked");

    [Benchmark]
    public void TrackCopy() => client.TrackCopy(Turn);

    [Benchmark]
    public TurnRef TrackTurn() => client.TrackTurn(TurnInput);

}
