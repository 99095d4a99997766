using System.Text.Json;
using Feedback.Delivery;
using Feedback.Events;
using Feedback.Privacy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback;

/// <summary>
/// Records feedback signals from a chat app. Every Track call only enqueues and returns; a background loop
/// sends batches (by size or after <see cref="FeedbackClientOptions.FlushInterval"/>), retries what the
/// server did not take for a transient reason, and never throws into the app. Dispose flushes what is left.
/// </summary>
public sealed partial class FeedbackClient : IAsyncDisposable
{
    private readonly FeedbackClientOptions options;
    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private readonly EventClock eventClock;
    private readonly EventQueue<FeedbackEvent> queue;
    private readonly SemaphoreSlim wake = new(0);
    private readonly List<TaskCompletionSource> flushWaiters = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly EventSender sender;
    private readonly DiskSpool? spool;
    private readonly Task loop;
    private long dropped;
    private long droppedQueueFull; // since the loop last logged it
    private int disposed;

    /// <summary>Starts the background sender.</summary>
    /// <param name="options">Where to send and how.</param>
    /// <param name="httpClient">The client to send with (not disposed by this client); a new one when null.</param>
    /// <param name="logger">Where delivery problems are logged; nothing when null.</param>
    /// <param name="clock">The time source, for tests; the system clock when null.</param>
    public FeedbackClient(FeedbackClientOptions options, HttpClient? httpClient = null, ILogger<FeedbackClient>? logger = null, TimeProvider? clock = null)
    {
        this.options = options;
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient();
        this.logger = logger ?? NullLogger<FeedbackClient>.Instance;
        this.clock = clock ?? TimeProvider.System;
        privacy = new EventPrivacy(options);
        eventClock = new EventClock(this.clock);
        queue = new EventQueue<FeedbackEvent>(options.QueueCapacity);
        sender = new EventSender(http, options, this.logger, this.clock);
        if (options.SpoolDirectory is { Length: > 0 } directory) spool = new DiskSpool(directory, options.SpoolMaxBytes, this.logger);
        loop = Task.Run(RunAsync);
    }

    /// <summary>Events dropped because the queue was full or the server stayed unreachable.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Events the server accepted.</summary>
    public long Sent => Interlocked.Read(ref sender.Accepted);

    /// <summary>Events the server rejected as invalid (logged with the reason).</summary>
    public long Rejected => Interlocked.Read(ref sender.Rejected);

    /// <summary>Records a model answer; returns the reference to attach feedback to.</summary>
    public TurnRef TrackTurn(Turn turn)
    {
        var reference = new TurnRef(turn?.UserId ?? "", turn?.SessionId ?? "", turn?.ConversationId ?? "", turn?.TurnId ?? Uuid7.New(eventClock.Now).ToString());
        try
        {
            TrackTurn(turn!, reference);
        }
        catch (Exception e)
        {
            Failed(e);
        }
        return reference;
    }

    private void TrackTurn(Turn turn, TurnRef reference)
    {
        var e = New(EventKinds.Turn, reference);
        e.PreviousTurnId = turn.PreviousTurnId;
        e.Request = turn.Messages ?? [new RequestMessage("user", turn.Prompt ?? "")];
        e.Response = turn.Response;
        e.Model = turn.Model;
        e.ModelVersion = turn.ModelVersion;
        e.PromptTemplate = turn.PromptTemplate;
        e.Stage = turn.Stage;
        e.LatencyMs = turn.LatencyMs;
        e.InputTokens = turn.InputTokens;
        e.OutputTokens = turn.OutputTokens;
        e.Metadata = turn.Metadata;
        Enqueue(e);
    }

    /// <summary>A thumb, an emoji or a rating on a turn, with an optional comment.</summary>
    public void TrackReaction(TurnRef turn, Reaction reaction, string? comment = null, DisplayContext? display = null)
    {
        try
        {
            var e = New(EventKinds.Reaction, turn, display);
            e.Thumb = reaction.Thumb;
            e.Emoji = reaction.Emoji;
            e.Rating = reaction.Rating;
            e.RatingScale = reaction.Scale;
            e.Comment = comment;
            Enqueue(e);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>The user rewrote the answer; <paramref name="editedResponse"/> is the text they kept.</summary>
    public void TrackEdit(TurnRef turn, string editedResponse, DisplayContext? display = null)
    {
        try
        {
            var e = New(EventKinds.Edit, turn, display);
            e.EditedResponse = editedResponse;
            Enqueue(e);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>The user's next message after the answer.</summary>
    public void TrackFollowUp(TurnRef turn, string message, DisplayContext? display = null)
    {
        try
        {
            var e = New(EventKinds.FollowUp, turn, display);
            e.Message = message;
            Enqueue(e);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>The user asked for a new answer: <paramref name="replaced"/> was replaced by <paramref name="replacement"/>.</summary>
    public void TrackRegenerate(TurnRef replaced, TurnRef replacement, DisplayContext? display = null)
    {
        try
        {
            var e = New(EventKinds.Regenerate, replaced, display);
            e.NewTurnId = replacement.TurnId;
            Enqueue(e);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>The user picked <paramref name="chosen"/> among the alternatives shown.</summary>
    public void TrackChoice(TurnRef chosen, IReadOnlyList<TurnRef> shown, DisplayContext? display = null)
    {
        try
        {
            var e = New(EventKinds.Choice, chosen, display);
            var alternatives = TurnIds(shown);
            e.ChosenTurnId = chosen.TurnId;
            e.AlternativeTurnIds = alternatives;
            if (display is null) // what was shown is the alternatives, in their order
            {
                e.DisplayedTurnIds = alternatives;
                e.DisplayPosition = IndexOf(shown, chosen);
            }
            Enqueue(e);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>The user copied the answer, or the part given.</summary>
    public void TrackCopy(TurnRef turn, string? copiedText = null, DisplayContext? display = null)
    {
        try
        {
            var e = New(EventKinds.Copy, turn, display);
            e.CopiedText = copiedText;
            Enqueue(e);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>
    /// An evaluator's result on a turn (e.g. an LLM judge's relevance score). Stored apart from user feedback: it
    /// changes no feedback rate, pair or label. Only the turn id is needed; the other ids of
    /// <paramref name="turn"/> may be empty when the evaluator does not know them.
    /// </summary>
    public void TrackEvaluation(TurnRef turn, Evaluation evaluation)
    {
        try
        {
            var e = New(EventKinds.Evaluation, turn);
            e.EvaluationName = evaluation.Name;
            e.EvaluationScore = evaluation.Score;
            e.EvaluationLabel = evaluation.Label;
            e.EvaluationFailed = evaluation.Failed;
            e.EvaluationRating = evaluation.Rating;
            e.EvaluationReason = evaluation.Reason;
            Enqueue(e);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>
    /// Several results on one turn, e.g. every metric of one evaluator run. The sequence is read here, inside the
    /// call's guard, so a mapping that fails while it is read is logged and counted, never thrown.
    /// </summary>
    public void TrackEvaluations(TurnRef turn, IEnumerable<Evaluation> evaluations)
    {
        try
        {
            foreach (var evaluation in evaluations) TrackEvaluation(turn, evaluation);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>Sends everything tracked so far; completes when it was sent or given up on.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (flushWaiters) flushWaiters.Add(waiter);
        wake.Release();
        await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends what is left, for at most <see cref="FeedbackClientOptions.ShutdownTimeout"/>, then stops.</summary>
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

    // The event id is given on the sender (Drain), from this timestamp: one cost less on the app's thread.
    private FeedbackEvent New(string kind, TurnRef turn, DisplayContext? display = null) =>
        new()
        {
            Kind = kind,
            Timestamp = eventClock.Now,
            UserId = turn.UserId,
            SessionId = turn.SessionId,
            ConversationId = turn.ConversationId,
            TurnId = turn.TurnId,
            Stage = display?.Stage,
            DisplayPosition = display?.Position,
            DisplayedTurnIds = display?.Shown is { } shown ? TurnIds(shown) : null,
            ControlVisible = display?.ControlVisible,
        };

    private static string[] TurnIds(IReadOnlyList<TurnRef> turns)
    {
        var ids = new string[turns.Count]; // one allocation, read-only to the serialiser and the server
        for (var i = 0; i < ids.Length; i++) ids[i] = turns[i].TurnId;
        return ids;
    }

    private static int? IndexOf(IReadOnlyList<TurnRef> shown, TurnRef turn)
    {
        for (var i = 0; i < shown.Count; i++)
            if (shown[i].TurnId == turn.TurnId) return i;
        return null;
    }

    /// <summary>The whole cost on the app's thread past building the event: consent, sampling and a lock-free enqueue.</summary>
    private void Enqueue(FeedbackEvent e)
    {
        if (Volatile.Read(ref disposed) != 0 || !privacy.Admit(e)) return; // no consent or sampled out: counted there
        if (!queue.TryEnqueue(e, out var waiting))
        {
            Interlocked.Increment(ref dropped); // full: the newest event goes (docs/sdk.md), logged by the loop
            Interlocked.Increment(ref droppedQueueFull);
        }
        else if (waiting == options.MaxBatchSize) wake.Release(); // a full batch need not wait for the interval
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
            e.EventId ??= Uuid7.New(e.Timestamp ?? clock.GetUtcNow());
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

    /// <summary>Nothing the SDK does may throw into the app: a failed Track call is logged and counted as dropped.</summary>
    private void Failed(Exception exception)
    {
        Interlocked.Increment(ref dropped);
        LogTrackFailed(logger, exception);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: a Track call failed; the event was dropped")]
    private static partial void LogTrackFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: dropped {Count} events after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, int count, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feedback: delivery failed")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: the queue of {Capacity} events was full; dropped {Count} new events")]
    private static partial void LogQueueFull(ILogger logger, long count, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: shutdown timed out with {Count} events unsent")]
    private static partial void LogShutdownTimeout(ILogger logger, int count);
}
