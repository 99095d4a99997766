using BenchmarkDotNet.Attributes;

namespace Feedback.Benchmarks;

/// <summary>
/// What one Track call costs the app's thread: building the event, consent and sampling, and the lock-free
/// enqueue. Redaction, event ids and serialisation happen on the sender, off this thread. The queue is a ring
/// allocated once and big enough for an iteration, so nothing measured is queue growth or a drop (Cleanup checks);
/// queued events stay alive during the iteration as they do in an app until the next flush.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(Calls)]
public class TrackBenchmarks
{
    private const int Calls = 100_000;

    private TrackCalls calls = null!;

    [IterationSetup]
    public void Setup() => calls = new TrackCalls(queueCapacity: Calls);

    [IterationCleanup]
    public void Cleanup()
    {
        var dropped = calls.Client.Dropped;
        calls.Client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (dropped != 0) throw new InvalidOperationException($"{dropped} events were dropped: the benchmark measured drops");
    }

    [Benchmark]
    public TurnRef TrackTurn() => calls.TrackTurn();

    [Benchmark]
    public void TrackReaction() => calls.TrackReaction();

    [Benchmark]
    public void TrackReactionWithDisplay() => calls.TrackReactionWithDisplay();

    [Benchmark]
    public void TrackEdit() => calls.TrackEdit();

    [Benchmark]
    public void TrackFollowUp() => calls.TrackFollowUp();

    [Benchmark]
    public void TrackRegenerate() => calls.TrackRegenerate();

    [Benchmark]
    public void TrackChoice() => calls.TrackChoice();

    [Benchmark]
    public void TrackCopy() => calls.TrackCopy();
}
