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
public sealed partial class FeedbackClient : IAsyncDisposable, IDisposable
{
    private readonly ILogger logger;
    private readonly EventClock eventClock;
    private readonly DeliveryPipeline pipeline; // everything after the enqueue: this class only builds events
    private long failed; // Track calls that threw; the pipeline counts its own drops

    /// <summary>Starts the background sender.</summary>
    /// <param name="options">Where to send and how.</param>
    /// <param name="httpClient">The client to send with (not disposed by this client); a new one when null.</param>
    /// <param name="logger">Where delivery problems are logged; nothing when null.</param>
    /// <param name="clock">The time source, for tests; the system clock when null.</param>
    public FeedbackClient(FeedbackClientOptions options, HttpClient? httpClient = null, ILogger<FeedbackClient>? logger = null, TimeProvider? clock = null)
    {
        this.logger = logger ?? NullLogger<FeedbackClient>.Instance;
        clock ??= TimeProvider.System;
        privacy = new EventPrivacy(options);
        eventClock = new EventClock(clock);
        pipeline = new DeliveryPipeline(options, httpClient, privacy, eventClock, this.logger, clock);
    }

    /// <summary>Events dropped because the queue was full or the server stayed unreachable.</summary>
    public long Dropped => pipeline.Dropped + Interlocked.Read(ref failed);

    /// <summary>Events the server accepted.</summary>
    public long Sent => pipeline.Sent;

    /// <summary>Events the server rejected as invalid (logged with the reason).</summary>
    public long Rejected => pipeline.Rejected;

    /// <summary>Records a model answer; returns the reference to attach feedback to.</summary>
    public TurnRef TrackTurn(Turn turn)
    {
        var reference = new TurnRef(turn?.UserId ?? "", turn?.SessionId ?? "", turn?.ConversationId ?? "", turn?.TurnId ?? Uuid7.New(eventClock.Now).ToString());
        Track(EventKinds.Turn, reference, null, new TurnFields(turn!));
        return reference;
    }

    /// <summary>A thumb, an emoji or a rating on a turn, with an optional comment.</summary>
    public void TrackReaction(TurnRef turn, Reaction reaction, string? comment = null, DisplayContext? display = null) =>
        Track(EventKinds.Reaction, turn, display, new ReactionFields(reaction, comment));

    /// <summary>The user rewrote the answer; <paramref name="editedResponse"/> is the text they kept.</summary>
    public void TrackEdit(TurnRef turn, string editedResponse, DisplayContext? display = null) =>
        Track(EventKinds.Edit, turn, display, new EditFields(editedResponse));

    /// <summary>The user's next message after the answer.</summary>
    public void TrackFollowUp(TurnRef turn, string message, DisplayContext? display = null) =>
        Track(EventKinds.FollowUp, turn, display, new FollowUpFields(message));

    /// <summary>The user asked for a new answer: <paramref name="replaced"/> was replaced by <paramref name="replacement"/>.</summary>
    public void TrackRegenerate(TurnRef replaced, TurnRef replacement, DisplayContext? display = null) =>
        Track(EventKinds.Regenerate, replaced, display, new RegenerateFields(replacement.TurnId));

    /// <summary>The user picked <paramref name="chosen"/> among the alternatives shown.</summary>
    public void TrackChoice(TurnRef chosen, IReadOnlyList<TurnRef> shown, DisplayContext? display = null) =>
        Track(EventKinds.Choice, chosen, display, new ChoiceFields(chosen.TurnId, shown, ShownIsDisplay: display is null));

    /// <summary>The user copied the answer, or the part given.</summary>
    public void TrackCopy(TurnRef turn, string? copiedText = null, DisplayContext? display = null) =>
        Track(EventKinds.Copy, turn, display, new CopyFields(copiedText));

    /// <summary>
    /// An evaluator's result on a turn (e.g. an LLM judge's relevance score). Stored apart from user feedback: it
    /// changes no feedback rate, pair or label. Only the turn id is needed; the other ids of
    /// <paramref name="turn"/> may be empty when the evaluator does not know them.
    /// </summary>
    public void TrackEvaluation(TurnRef turn, Evaluation evaluation) =>
        Track(EventKinds.Evaluation, turn, null, new EvaluationFields(evaluation));

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
    public Task FlushAsync(CancellationToken cancellationToken = default) => pipeline.FlushAsync(cancellationToken);

    /// <summary>Sends what is left, for at most <see cref="FeedbackClientOptions.ShutdownTimeout"/>, then stops.</summary>
    public ValueTask DisposeAsync() => pipeline.DisposeAsync();

    /// <summary>
    /// Same as <see cref="DisposeAsync"/>, blocking (at most about <see cref="FeedbackClientOptions.ShutdownTimeout"/>).
    /// Lets a service provider disposed with <c>Dispose()</c> rather than <c>DisposeAsync()</c> release the client.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// The one path of every Track call: the common fields, then the kind's own (<paramref name="fields"/>), then the
    /// enqueue. The kind's fields are a struct, so the JIT compiles this once per kind with their writing inlined:
    /// sharing the path costs no allocation, no delegate and no virtual call. Nothing may throw into the app: a
    /// failure is logged and counted as dropped.
    /// </summary>
    private void Track<TFields>(string kind, in TurnRef turn, DisplayContext? display, in TFields fields)
        where TFields : struct, IKindFields
    {
        try
        {
            var e = New(kind, turn, display);
            fields.WriteTo(e);
            pipeline.Enqueue(e);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    // The event id is given on the sender (DeliveryPipeline.Drain), from this timestamp: one cost less on the app's thread.
    private FeedbackEvent New(string kind, in TurnRef turn, DisplayContext? display)
    {
        var e = new FeedbackEvent
        {
            Kind = kind,
            Timestamp = eventClock.Now,
            UserId = turn.UserId,
            SessionId = turn.SessionId,
            ConversationId = turn.ConversationId,
            TurnId = turn.TurnId,
        };
        if (display is not null) // one test for the four fields: most calls have no display context
        {
            e.Stage = display.Stage;
            e.DisplayPosition = display.Position;
            e.DisplayedTurnIds = display.Shown is { } shown ? TurnIds(shown) : null;
            e.ControlVisible = display.ControlVisible;
        }
        return e;
    }

    private static string[] TurnIds(IReadOnlyList<TurnRef> turns)
    {
        var ids = new string[turns.Count]; // one allocation, read-only to the serialiser and the server
        for (var i = 0; i < ids.Length; i++) ids[i] = turns[i].TurnId;
        return ids;
    }

    private void Failed(Exception exception)
    {
        Interlocked.Increment(ref failed);
        LogTrackFailed(logger, exception);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: a Track call failed; the event was dropped")]
    private static partial void LogTrackFailed(ILogger logger, Exception exception);
}
