using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
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
    private readonly Channel<FeedbackEvent> queue;
    private readonly SemaphoreSlim wake = new(0);
    private readonly List<TaskCompletionSource> flushWaiters = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private long dropped;
    private long sent;
    private long rejected;

    public FeedbackClient(FeedbackClientOptions options, HttpClient? httpClient = null, ILogger<FeedbackClient>? logger = null, TimeProvider? clock = null)
    {
        this.options = options;
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient();
        this.logger = logger ?? NullLogger<FeedbackClient>.Instance;
        this.clock = clock ?? TimeProvider.System;
        privacy = new EventPrivacy(options);
        queue = Channel.CreateBounded<FeedbackEvent>(
            new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => Interlocked.Increment(ref dropped));
        loop = Task.Run(RunAsync);
    }

    /// <summary>Events dropped because the queue was full or the server stayed unreachable.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Events the server accepted.</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Events the server rejected as invalid (logged with the reason).</summary>
    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>Records a model answer; returns the reference to attach feedback to.</summary>
    public TurnRef TrackTurn(Turn turn)
    {
        var reference = new TurnRef(turn.UserId, turn.SessionId, turn.ConversationId, turn.TurnId ?? Guid.CreateVersion7().ToString());
        var e = New(EventKinds.Turn, reference);
        e.PreviousTurnId = turn.PreviousTurnId;
        e.Request = turn.Messages ?? [new RequestMessage("user", turn.Prompt ?? "")];
        e.Response = turn.Response;
        e.Model = turn.Model;
        e.ModelVersion = turn.ModelVersion;
        e.PromptTemplate = turn.PromptTemplate;
        e.LatencyMs = turn.LatencyMs;
        e.InputTokens = turn.InputTokens;
        e.OutputTokens = turn.OutputTokens;
        e.Metadata = turn.Metadata;
        Enqueue(e);
        return reference;
    }

    /// <summary>A thumb, an emoji or a rating on a turn, with an optional comment.</summary>
    public void TrackReaction(TurnRef turn, Reaction reaction, string? comment = null)
    {
        var e = New(EventKinds.Reaction, turn);
        e.Thumb = reaction.Thumb;
        e.Emoji = reaction.Emoji;
        e.Rating = reaction.Rating;
        e.RatingScale = reaction.Scale;
        e.Comment = comment;
        Enqueue(e);
    }

    /// <summary>The user rewrote the answer; <paramref name="editedResponse"/> is the text they kept.</summary>
    public void TrackEdit(TurnRef turn, string editedResponse)
    {
        var e = New(EventKinds.Edit, turn);
        e.EditedResponse = editedResponse;
        Enqueue(e);
    }

    /// <summary>The user's next message after the answer.</summary>
    public void TrackFollowUp(TurnRef turn, string message)
    {
        var e = New(EventKinds.FollowUp, turn);
        e.Message = message;
        Enqueue(e);
    }

    /// <summary>The user asked for a new answer: <paramref name="replaced"/> was replaced by <paramref name="replacement"/>.</summary>
    public void TrackRegenerate(TurnRef replaced, TurnRef replacement)
    {
        var e = New(EventKinds.Regenerate, replaced);
        e.NewTurnId = replacement.TurnId;
        Enqueue(e);
    }

    /// <summary>The user picked <paramref name="chosen"/> among the alternatives shown.</summary>
    public void TrackChoice(TurnRef chosen, IReadOnlyList<TurnRef> shown)
    {
        var e = New(EventKinds.Choice, chosen);
        e.ChosenTurnId = chosen.TurnId;
        e.AlternativeTurnIds = shown.Select(t => t.TurnId).ToList();
        Enqueue(e);
    }

    /// <summary>The user copied the answer, or the part given.</summary>
    public void TrackCopy(TurnRef turn, string? copiedText = null)
    {
        var e = New(EventKinds.Copy, turn);
        e.CopiedText = copiedText;
        Enqueue(e);
    }

    /// <summary>Sends everything tracked so far; completes when it was sent or given up on.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (flushWaiters) flushWaiters.Add(waiter);
        wake.Release();
        await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        wake.Release();
        try
        {
            await loop.WaitAsync(options.ShutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogShutdownTimeout(logger, queue.Reader.Count);
        }
        await stopping.CancelAsync().ConfigureAwait(false);
        if (ownsHttp) http.Dispose();
        stopping.Dispose();
    }

    private FeedbackEvent New(string kind, TurnRef turn) => new()
    {
        EventId = Guid.CreateVersion7(),
        Kind = kind,
        Timestamp = clock.GetUtcNow(),
        UserId = turn.UserId,
        SessionId = turn.SessionId,
        ConversationId = turn.ConversationId,
        TurnId = turn.TurnId,
    };

    private void Enqueue(FeedbackEvent e)
    {
        if (privacy.Apply(e) is null) return; // no consent, sampled out or a rule failed (counted there); else redacted in place
        if (!queue.Writer.TryWrite(e)) return; // dropped (counted by the channel) or client disposed
        if (queue.Reader.Count >= options.MaxBatchSize) wake.Release();
    }

    private async Task RunAsync()
    {
        var batch = new List<FeedbackEvent>(options.MaxBatchSize);
        while (true)
        {
            await wake.WaitAsync(options.FlushInterval).ConfigureAwait(false);
            TaskCompletionSource[] waiters;
            lock (flushWaiters)
            {
                waiters = [.. flushWaiters];
                flushWaiters.Clear();
            }

            while (queue.Reader.TryRead(out var e))
            {
                batch.Add(e);
                if (batch.Count == options.MaxBatchSize) await SendAsync(batch).ConfigureAwait(false);
            }
            if (batch.Count > 0) await SendAsync(batch).ConfigureAwait(false);
            foreach (var w in waiters) w.TrySetResult();

            if (queue.Reader.Completion.IsCompleted) return;
        }
    }

    /// <summary>Sends one batch, resending only the events the server did not take for a transient reason.</summary>
    private async Task SendAsync(List<FeedbackEvent> batch)
    {
        try
        {
            for (var attempt = 1; batch.Count > 0; attempt++)
            {
                var (retryAfter, transient) = await PostAsync(batch).ConfigureAwait(false);
                if (!transient) return;
                if (attempt >= options.MaxAttempts || stopping.IsCancellationRequested)
                {
                    Interlocked.Add(ref dropped, batch.Count);
                    LogGaveUp(logger, batch.Count, attempt);
                    return;
                }
                var backoff = options.RetryBaseDelay * Math.Pow(2, attempt - 1) * Random.Shared.NextDouble();
                await Task.Delay(retryAfter ?? backoff, clock, stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            Interlocked.Add(ref dropped, batch.Count);
        }
        finally
        {
            batch.Clear();
        }
    }

    /// <summary>One POST. Removes from <paramref name="batch"/> what is settled; says whether the rest is worth retrying.</summary>
    private async Task<(TimeSpan? RetryAfter, bool Transient)> PostAsync(List<FeedbackEvent> batch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Endpoint, "v1/batch"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.WriteKey);
        request.Content = Gzip(batch);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, stopping.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            LogNetworkError(logger, e.Message);
            return (null, true);
        }
        catch (TaskCanceledException) when (!stopping.IsCancellationRequested)
        {
            return (null, true); // HttpClient timeout
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is 408 or 429 or >= 500)
                return (RetryAfter(response), true);

            var results = await ReadResultsAsync(response).ConfigureAwait(false);
            if (results is null)
            {
                // A whole-request refusal (bad key, too large): resending the same bytes cannot help.
                Interlocked.Add(ref rejected, batch.Count);
                LogRefused(logger, status, batch.Count);
                batch.Clear();
                return (null, false);
            }
            foreach (var r in results)
            {
                if (r.Status == "accepted") Interlocked.Increment(ref sent);
                else
                {
                    Interlocked.Increment(ref rejected);
                    LogRejected(logger, r.EventId, r.Reason);
                }
            }
            batch.Clear();
            return (null, false);
        }
    }

    private static async Task<IReadOnlyList<EventResultDto>?> ReadResultsAsync(HttpResponseMessage response)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<BatchResultDto>(FeedbackJson.Options).ConfigureAwait(false);
            return body?.Results;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException)
        {
            return null;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
            _ => null,
        };

    private static ByteArrayContent Gzip(List<FeedbackEvent> batch)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            JsonSerializer.Serialize(gzip, new BatchDto(batch), FeedbackJson.Options);
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    private sealed record BatchDto(IReadOnlyList<FeedbackEvent> Events);

    private sealed record BatchResultDto(IReadOnlyList<EventResultDto>? Results);

    private sealed record EventResultDto(Guid? EventId, string Status, string? Reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: network error sending a batch, will retry: {Error}")]
    private static partial void LogNetworkError(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: dropped {Count} events after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, int count, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feedback: the server refused a batch of {Count} events with status {Status}")]
    private static partial void LogRefused(ILogger logger, int status, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: event {EventId} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid? eventId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: shutdown timed out with {Count} events unsent")]
    private static partial void LogShutdownTimeout(ILogger logger, int count);
}
