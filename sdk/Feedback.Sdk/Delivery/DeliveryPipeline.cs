using System.Text.Json;
using Feedback.Events;
using Feedback.Privacy;
using Microsoft.Extensions.Logging;

namespace Feedback.Delivery;

/// <summary>
/// Everything between a built event and the server, behind <see cref="FeedbackClient"/>: the queue the app's threads
/// write into, one background loop that drains it into batches (privacy's second half, event ids, serialisation),
/// the disk spool, the sender and its retries, flush and its waiters, and the purge after an opt-out. The loop runs
/// a round every <see cref="FeedbackClientOptions.FlushInterval"/>, or at once when a batch fills, a flush or an
/// opt-out asks, or the pipeline is disposed (its last round).
/// </summary>
internal sealed partial class DeliveryPipeline : IAsyncDisposable
{
    private readonly FeedbackClientOptions options;
    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private readonly EventClock eventClock;
    private readonly EventPrivacy privacy;
    private readonly EventQueue<FeedbackEvent> queue;
    private readonly DiskSpool? spool;
    private readonly EventSender sender;
    private readonly SemaphoreSlim wake = new(0);
    private readonly List<TaskCompletionSource> flushWaiters = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private long dropped;
    private long droppedQueueFull; // since the loop last logged it
    private int purgedOptOuts;
    private int disposed;

    /// <summary>Starts the background loop.</summary>
    /// <param name="options">Where to send and how.</param>
    /// <param name="httpClient">The client to send with (not disposed here); a new one, disposed with the pipeline, when null.</param>
    /// <param name="privacy">Consent and sampling on enqueue; opt-out and redaction before serialising; the purge.</param>
    /// <param name="eventClock">The Track calls' clock, re-anchored by the loop every round.</param>
    /// <param name="logger">Where delivery problems are logged.</param>
    /// <param name="clock">The time source of retries, and of an event id when an event has no timestamp.</param>
    public DeliveryPipeline(FeedbackClientOptions options, HttpClient? httpClient, EventPrivacy privacy, EventClock eventClock, ILogger logger, TimeProvider clock)
    {
        this.options = options;
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient();
        this.privacy = privacy;
        this.eventClock = eventClock;
        this.logger = logger;
        this.clock = clock;
        queue = new EventQueue<FeedbackEvent>(options.QueueCapacity);
        if (options.SpoolDirectory is { Length: > 0 } directory) spool = new DiskSpool(directory, options.SpoolMaxBytes, logger);
        sender = new EventSender(http, options, logger, clock);
        loop = Task.Run(RunAsync);
    }

    /// <summary>Events dropped here: the queue was full, the server stayed unreachable, or the spool was over its cap.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Events the server accepted.</summary>
    public long Sent => Interlocked.Read(ref sender.Accepted);

    /// <summary>Events the server rejected as invalid.</summary>
    public long Rejected => Interlocked.Read(ref sender.Rejected);

    /// <summary>The whole cost on the app's thread past building the event: consent, sampling and a lock-free enqueue.</summary>
    public void Enqueue(FeedbackEvent e)
    {
        if (Volatile.Read(ref disposed) != 0 || !privacy.Admit(e)) return; // no consent or sampled out: counted there
        if (!queue.TryEnqueue(e, out var waiting))
        {
            Interlocked.Increment(ref dropped); // full: the newest event goes (docs/sdk.md), logged by the loop
            Interlocked.Increment(ref droppedQueueFull);
        }
        else if (waiting == options.MaxBatchSize) wake.Release(); // a full batch need not wait for the interval
    }

    /// <summary>Runs a round now, e.g. so that an opt-out purges what waits for a retry without waiting for the interval.</summary>
    public void Wake() => wake.Release();

    /// <summary>Completes when a round that began after this call has sent (or given up on) everything queued before it.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (flushWaiters) flushWaiters.Add(waiter);
        wake.Release();
        await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the last round, for at most <see cref="FeedbackClientOptions.ShutdownTimeout"/>, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        wake.Release();
        try
        {
            await loop.WaitAsync(options.ShutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogShutdownTimeout(logger, queue.Count);
        }
        await stopping.CancelAsync().ConfigureAwait(false);
        if (ownsHttp) http.Dispose();
        stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var pending = spool?.Recover() ?? [];
        while (true)
        {
            await wake.WaitAsync(options.FlushInterval).ConfigureAwait(false);
            var last = Volatile.Read(ref disposed) != 0; // read before draining: what was queued before Dispose goes out
            eventClock.Reanchor();
            if (Interlocked.Exchange(ref droppedQueueFull, 0) is > 0 and var full) LogQueueFull(logger, full, queue.Capacity);
            TaskCompletionSource[] waiters;
            lock (flushWaiters)
            {
                waiters = [.. flushWaiters];
                flushWaiters.Clear();
            }

            try
            {
                foreach (var batch in Drain()) pending.Add(spool?.Persist(batch) ?? batch);
                if (spool is not null) Interlocked.Add(ref dropped, spool.Evict(pending));
                await SendPendingAsync(pending).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDeliveryFailed(logger, e); // e.g. the spool's disk is full: never let it reach the app
            }
            foreach (var w in waiters) w.TrySetResult();

            if (last) return; // disposed and drained; spooled batches wait for the next start
        }
    }

    /// <summary>
    /// The queued events as batches of at most MaxBatchSize events and MaxBatchBytes of JSON, each event serialised
    /// once, after the privacy step's second half (opt-out, redaction): nothing unredacted is spooled or sent.
    /// </summary>
    private IEnumerable<PendingBatch> Drain()
    {
        var events = new List<byte[]>();
        long bytes = 0;
        // At most what waits now: writers faster than serialisation must not keep one round draining (and
        // holding batches in memory) for ever; they meet the full queue and its drop policy instead.
        for (var left = queue.Count; left > 0 && queue.TryDequeue(out var e); left--)
        {
            if (!privacy.Release(e)) continue; // opted out since, or a redaction rule failed: counted there
            e.EventId ??= Uuid7.New(e.Timestamp ?? clock.GetUtcNow()); // given here, not on the app's thread
            var json = JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options);
            if (events.Count > 0 && (events.Count == options.MaxBatchSize || bytes + json.Length > options.MaxBatchBytes))
            {
                yield return new PendingBatch(events);
                events = [];
                bytes = 0;
            }
            events.Add(json);
            bytes += json.Length;
        }
        if (events.Count > 0) yield return new PendingBatch(events);
    }

    /// <summary>Sends batches oldest first. Without a spool, a batch that cannot be delivered is dropped; with one it waits on disk.</summary>
    private async Task SendPendingAsync(List<PendingBatch> pending)
    {
        while (pending.Count > 0)
        {
            if (PurgeOptedOut(pending)) continue;
            var batch = pending[0];
            if (await sender.SendAsync(batch, stopping.Token).ConfigureAwait(false))
            {
                if (batch.File is not null) DiskSpool.Delete(batch);
                pending.RemoveAt(0);
            }
            else if (spool is not null)
            {
                DiskSpool.Update(batch); // keep what is left for the next round (offline)
                return;
            }
            else
            {
                Interlocked.Add(ref dropped, batch.Events.Count);
                LogGaveUp(logger, batch.Events.Count, options.MaxAttempts);
                pending.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// After an opt-out, removes that user's events from batches already serialised (held for a retry or spooled,
    /// also by an earlier run), rewriting their spool files. True when it removed a whole batch.
    /// </summary>
    private bool PurgeOptedOut(List<PendingBatch> pending)
    {
        var optOuts = privacy.OptOuts;
        if (optOuts == purgedOptOuts) return false;
        purgedOptOuts = optOuts;
        foreach (var batch in pending)
            if (privacy.Purge(batch.Events) > 0) DiskSpool.Update(batch); // deletes the file when nothing is left
        return pending.RemoveAll(b => b.Events.Count == 0) > 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: dropped {Count} events after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, int count, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feedback: delivery failed")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: the queue of {Capacity} events was full; dropped {Count} new events")]
    private static partial void LogQueueFull(ILogger logger, long count, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: shutdown timed out with {Count} events unsent")]
    private static partial void LogShutdownTimeout(ILogger logger, int count);
}
