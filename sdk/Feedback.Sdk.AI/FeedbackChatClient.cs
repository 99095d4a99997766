using System.Globalization;
using System.Runtime.CompilerServices;
using Feedback.Events;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.AI;

/// <summary>
/// Records every chat turn that passes through as a Feedback <c>turn</c> event, links it to the turn it continues
/// (<c>previous_turn_id</c>), records the user's new message as that turn's <c>follow_up</c>, and puts the
/// <see cref="TurnRef"/> on the response (<see cref="FeedbackChatExtensions.GetFeedbackTurn(ChatResponse)"/>).
/// Capture never throws into the app; the inner client's exceptions pass through unchanged. See docs/sdk.md.
/// </summary>
public sealed partial class FeedbackChatClient : DelegatingChatClient
{
    private readonly FeedbackClient feedback;
    private readonly FeedbackCaptureOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private readonly RecentTurns recent;
    private readonly string defaultSessionId;

    /// <summary>Wraps <paramref name="innerClient"/>; turns are recorded through <paramref name="feedback"/>.</summary>
    /// <param name="innerClient">The client that answers.</param>
    /// <param name="feedback">The client the turns and follow-ups are recorded with.</param>
    /// <param name="options">Default ids and the size of the recent-turns memory; defaults when null.</param>
    /// <param name="logger">Where capture failures are logged; nothing when null.</param>
    /// <param name="clock">The time source, for tests; the system clock when null.</param>
    public FeedbackChatClient(IChatClient innerClient, FeedbackClient feedback, FeedbackCaptureOptions? options = null,
        ILogger<FeedbackChatClient>? logger = null, TimeProvider? clock = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        this.feedback = feedback;
        this.options = options ?? new FeedbackCaptureOptions();
        this.logger = logger ?? NullLogger<FeedbackChatClient>.Instance;
        this.clock = clock ?? TimeProvider.System;
        recent = new RecentTurns(Math.Max(1, this.options.RecentTurns));
        defaultSessionId = this.options.DefaultSessionId ?? Guid.CreateVersion7().ToString();
    }

    /// <summary>Gets the inner client's answer and records it as one turn.</summary>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = messages as IReadOnlyList<ChatMessage> ?? [.. messages]; // read twice: by the inner client and by capture
        var turn = Begin(request, options);
        var started = clock.GetTimestamp();
        var response = await base.GetResponseAsync(request, turn?.InnerOptions ?? options, cancellationToken).ConfigureAwait(false);
        if (turn is not null) Complete(turn, () => response, clock.GetElapsedTime(started), firstUpdate: null);
        return response;
    }

    /// <summary>Streams the inner client's updates as they come and records the turn once the stream has been read to its end.</summary>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var turn = Begin(request, options);
        var started = clock.GetTimestamp();
        TimeSpan? firstUpdate = null;
        List<ChatResponseUpdate> updates = [];
        await foreach (var update in base.GetStreamingResponseAsync(request, turn?.InnerOptions ?? options, cancellationToken).ConfigureAwait(false))
        {
            firstUpdate ??= clock.GetElapsedTime(started);
            if (turn is not null)
            {
                // The ref goes on every update so the app has it from the first token, and ToChatResponse() keeps it.
                (update.AdditionalProperties ??= [])[FeedbackChatKeys.Turn] = turn.Ref;
                updates.Add(update);
            }
            yield return update;
        }
        // Only a stream read to its end is recorded: one the app stopped reading, or that failed, is not a turn.
        if (turn is not null) Complete(turn, updates.ToChatResponse, clock.GetElapsedTime(started), firstUpdate);
    }

    /// <summary>What is known of a turn before the model answers.</summary>
    private sealed record PendingTurn(TurnRef Ref, string? PreviousTurnId, string Scope, IReadOnlyList<RequestMessage> Request, ChatOptions? Options, ChatOptions? InnerOptions);

    /// <summary>Resolves the turn's ids and records the follow-up; null when capture failed (the call goes on uncaptured).</summary>
    private PendingTurn? Begin(IReadOnlyList<ChatMessage> request, ChatOptions? chatOptions)
    {
        try
        {
            var properties = chatOptions?.AdditionalProperties;
            var userId = Read(properties, FeedbackChatKeys.UserId);
            var conversationId = Read(properties, FeedbackChatKeys.ConversationId) ?? NonEmpty(chatOptions?.ConversationId);
            var scope = conversationId ?? userId ?? "";

            // The turn this request continues: the one whose answer is the history's last assistant message.
            var lastAnswer = LastIndex(request, ChatRole.Assistant);
            TurnRef? previous = null;
            if (lastAnswer >= 0)
            {
                var answer = request[lastAnswer];
                previous = answer.GetFeedbackTurn() ?? (answer.Text is { Length: > 0 } text ? recent.Find(scope, text) : null);
            }

            var turn = new TurnRef(
                userId ?? previous?.UserId ?? options.DefaultUserId,
                Read(properties, FeedbackChatKeys.SessionId) ?? previous?.SessionId ?? defaultSessionId,
                conversationId ?? previous?.ConversationId ?? Guid.CreateVersion7().ToString(),
                Read(properties, FeedbackChatKeys.TurnId) ?? Guid.CreateVersion7().ToString());

            // What the user wrote after that answer is its follow-up; a regenerated request repeats it, so only once.
            if (previous is { } p)
            {
                var followUp = string.Join("\n", request.Skip(lastAnswer + 1).Where(m => m.Role == ChatRole.User).Select(m => m.Text).Where(t => t.Length > 0));
                if (followUp.Length > 0 && recent.FirstFollowUp(p.TurnId, followUp)) feedback.TrackFollowUp(p, followUp);
            }

            List<RequestMessage> messages = [];
            if (NonEmpty(chatOptions?.Instructions) is { } instructions) messages.Add(new RequestMessage("system", instructions));
            messages.AddRange(request.Select(m => new RequestMessage(m.Role.Value, m.Text)));

            return new PendingTurn(turn, previous?.TurnId, scope, messages, chatOptions, WithoutFeedbackKeys(chatOptions));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogCaptureFailed(logger, e);
            return null;
        }
    }

    /// <summary>Records the turn and puts its ref on the response.</summary>
    private void Complete(PendingTurn turn, Func<ChatResponse> getResponse, TimeSpan latency, TimeSpan? firstUpdate)
    {
        try
        {
            var response = getResponse();
            (response.AdditionalProperties ??= [])[FeedbackChatKeys.Turn] = turn.Ref;
            foreach (var message in response.Messages)
                (message.AdditionalProperties ??= [])[FeedbackChatKeys.Turn] = turn.Ref;

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var client = InnerClient.GetService<ChatClientMetadata>();
            if (NonEmpty(client?.ProviderName) is { } provider) metadata["provider"] = provider;
            if (response.FinishReason is { } finish) metadata["finish_reason"] = finish.Value;
            if (firstUpdate is { } ttft) metadata["time_to_first_update_ms"] = Milliseconds(ttft).ToString(CultureInfo.InvariantCulture);

            feedback.TrackTurn(new Turn
            {
                UserId = turn.Ref.UserId,
                SessionId = turn.Ref.SessionId,
                ConversationId = turn.Ref.ConversationId,
                TurnId = turn.Ref.TurnId,
                PreviousTurnId = turn.PreviousTurnId,
                Messages = turn.Request,
                Response = response.Text,
                Model = NonEmpty(response.ModelId) ?? NonEmpty(turn.Options?.ModelId) ?? NonEmpty(client?.DefaultModelId) ?? options.DefaultModel,
                PromptTemplate = Read(turn.Options?.AdditionalProperties, FeedbackChatKeys.PromptTemplate),
                LatencyMs = Milliseconds(latency),
                InputTokens = Tokens(response.Usage?.InputTokenCount),
                OutputTokens = Tokens(response.Usage?.OutputTokenCount),
                Metadata = metadata.Count > 0 ? metadata : null,
            });

            // Remembered by the last answer's text, the one the next request's history ends with.
            if (response.Messages.LastOrDefault(m => m.Role == ChatRole.Assistant)?.Text is { Length: > 0 } answer)
                recent.Add(turn.Scope, answer, turn.Ref);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogCaptureFailed(logger, e);
        }
    }

    /// <summary>A copy of the options without the feedback.* keys, so they never reach the model provider.</summary>
    private static ChatOptions? WithoutFeedbackKeys(ChatOptions? chatOptions)
    {
        if (chatOptions?.AdditionalProperties is not { } properties || !FeedbackChatKeys.Inputs.Any(properties.ContainsKey)) return chatOptions;
        var copy = chatOptions.Clone();
        copy.AdditionalProperties = new AdditionalPropertiesDictionary(properties.Where(p => !FeedbackChatKeys.Inputs.Contains(p.Key)));
        return copy;
    }

    private static int LastIndex(IReadOnlyList<ChatMessage> messages, ChatRole role)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
            if (messages[i].Role == role) return i;
        return -1;
    }

    private static string? Read(AdditionalPropertiesDictionary? properties, string key) =>
        properties is not null && properties.TryGetValue(key, out var value) ? NonEmpty(value?.ToString()) : null;

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static int Milliseconds(TimeSpan t) => (int)Math.Min(int.MaxValue, Math.Max(0, t.TotalMilliseconds));

    private static int? Tokens(long? count) => count is null ? null : (int)Math.Clamp(count.Value, 0, int.MaxValue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: could not capture a chat turn; the chat call goes on")]
    private static partial void LogCaptureFailed(ILogger logger, Exception exception);
}
