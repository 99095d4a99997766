using System.Globalization;
using System.Text;
using System.Text.Json;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Store;
using Feedback.Events;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.Analytics.Reviews;

/// <summary>
/// The optional LLM labeler (docs/mining.md, "LLM labeler (optional)"): a stage of the mining run that sends the
/// follow-ups the local model is least sure of, with their request and answer, to the operator's chat model (any
/// Microsoft.Extensions.AI <see cref="IChatClient"/>) and stores its labels in <c>follow_up_reviews</c> with source
/// <c>llm</c>. That table is the cache: a follow-up with an LLM label, or one a person reviewed, is never sent again.
/// Bounded by <see cref="ChatClientLabelerOptions"/>: <c>MaxPerRun</c> follow-ups per run in batches, and a project's
/// <c>DailyBudget</c> of stored labels per UTC day. What the model gets wrong is logged and those follow-ups keep the
/// local model's label (nothing is stored for them): an answer that is not the JSON asked for, an unknown label or id,
/// an error or a batch over its <c>Timeout</c>. An error or a timeout ends the stage for this run, so a chat model that
/// is down holds a run up by one timeout at most. Enabled with <c>UseChatClientLabeler</c>; off by default.
/// </summary>
public sealed partial class ChatClientFollowUpLabeler
{
    /// <summary>Characters of a request, an answer or a follow-up sent at most (the start is kept): bounds a batch's size.</summary>
    public const int MaxTextLength = 2_000;

    /// <summary>The instructions sent before each batch: the labelling guide's six labels and its order of decisions.</summary>
    public const string Instructions = """
        You label follow-ups: the message a user of an AI assistant sent right after one of its answers. Read each
        follow-up together with the request and the answer before it, and give the one label that says what the
        follow-up says about that answer:
        - positive: approves of the answer: thanks, praise, "it worked", "correct", agreement, approving emoji or slang.
        - rephrase: restates what the user asked for because the answer missed it ("I meant...", "I asked for...",
          the request re-asked in other words).
        - correction: says the answer (or a part of it) is wrong AND says what is right or how to fix it.
        - complaint: says the answer is wrong, bad, useless, too long or did not work, WITHOUT the fix; includes
          sarcasm, insults, rhetorical questions and reports of failure.
        - clarification: asks a real question about the answer itself: whether it is true, why, what a part of it
          means, or whether it covers a case of the original request.
        - none: says nothing about the answer: a new request, a next step building on it, small talk, a plain "ok".
        Apply the first rule that holds: 1. a fix is given: correction. 2. it restates the request: rephrase.
        3. it says the answer is bad without a fix: complaint. 4. it questions the answer itself: clarification
        (if the user would still ask it after a perfect answer, it is none). 5. it approves: positive ("ok" alone is
        none; "ok thanks" is positive). 6. otherwise: none.
        For each follow-up also say how sure you are, from 0 to 1. Answer only with JSON of this shape, one item per
        follow-up, with the follow-up's id:
        {"labels": [{"id": 1, "label": "correction", "confidence": 0.9}]}
        """;

    // The follow-ups of the run's projects not labelled by the LLM nor reviewed by a person (any row of theirs in
    // follow_up_reviews), each project's least confident first up to what is left of its day's budget (the LLM rows
    // labelled since the day began), then the least confident of all up to the run's bound.
    private const string Candidates = """
        SELECT c.project AS project, c.event_id AS event_id, c.turn_id AS turn_id
        FROM
        (
            SELECT s.project AS project, s.event_id AS event_id, s.turn_id AS turn_id, s.event_timestamp AS event_timestamp,
                ifNull(s.follow_up_confidence, 0) AS confidence,
                row_number() OVER (PARTITION BY s.project ORDER BY confidence, event_timestamp, event_id) AS rank
            FROM text_signals AS s FINAL
            WHERE s.kind = 'follow_up'
                AND cityHash64(s.project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
                AND ({all_projects:UInt8} = 1 OR has({projects:Array(String)}, s.project))
                AND (s.project, s.event_id) NOT IN (SELECT project, event_id FROM follow_up_reviews)
        ) AS c
        LEFT JOIN
        (
            SELECT project, count() AS used FROM follow_up_reviews
            WHERE source = 'llm' AND labelled_at >= {day:DateTime64(3, 'UTC')}
            GROUP BY project
        ) AS b ON b.project = c.project
        WHERE toInt64(c.rank) <= {daily_budget:Int64} - ifNull(b.used, 0)
        ORDER BY c.confidence, c.event_timestamp, c.event_id
        LIMIT {max_per_run:UInt32}
        """;

    // The texts of the chosen follow-ups: the follow-up's message and conversation, its turn's request and answer.
    private const string Texts = """
        WITH f AS
        (
            SELECT project, event_id, any(conversation_id) AS conversation_id, any(turn_id) AS turn_id, any(message) AS message
            FROM events -- no FINAL: a re-delivered copy has the same text
            WHERE kind = 'follow_up' AND project IN {projects:Array(String)} AND event_id IN {event_ids:Array(UUID)}
            GROUP BY project, event_id
        )
        SELECT f.project AS project, f.event_id AS event_id, f.conversation_id AS conversation_id, f.turn_id AS turn_id,
            f.message AS message, t.request AS request, ifNull(t.response, '') AS response
        FROM f
        LEFT JOIN
        (
            SELECT project, turn_id, any(request) AS request, any(response) AS response FROM events
            WHERE kind = 'turn' AND (project, conversation_id) IN (SELECT project, conversation_id FROM f)
                AND (project, turn_id) IN (SELECT project, turn_id FROM f)
            GROUP BY project, turn_id
        ) AS t ON t.project = f.project AND t.turn_id = f.turn_id
        """;

    private readonly IClickHouse store;
    private readonly IChatClient client;
    private readonly ChatClientLabelerOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;

    public ChatClientFollowUpLabeler(
        IClickHouse store, IChatClient client, ChatClientLabelerOptions options, TimeProvider clock, ILogger<ChatClientFollowUpLabeler>? logger = null)
    {
        options.Validate();
        (this.store, this.client, this.options, this.clock) = (store, client, options, clock);
        this.logger = logger ?? NullLogger<ChatClientFollowUpLabeler>.Instance;
        LabelledBy = client.GetService<ChatClientMetadata>() is { } metadata && (metadata.ProviderName ?? metadata.DefaultModelId) is not null
            ? string.Join('/', new[] { metadata.ProviderName, metadata.DefaultModelId }.Where(part => !string.IsNullOrEmpty(part)))
            : "chat-client";
    }

    /// <summary>The <c>labelled_by</c> of the stored labels: the chat client's provider and model, as its metadata says.</summary>
    public string LabelledBy { get; }

    /// <summary>
    /// Labels the least confident follow-ups of the projects of <paramref name="shards"/> (and of the options'
    /// projects) not labelled yet; returns how many labels were stored.
    /// </summary>
    public async Task<int> LabelAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var day = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var chosen = await store.QueryAsync<Candidate>(Candidates, shards.With(new
        {
            all_projects = (byte)(options.Projects is null ? 1 : 0),
            projects = options.Projects ?? [],
            day,
            daily_budget = (long)options.DailyBudget,
            max_per_run = (uint)options.MaxPerRun,
        }), cancellationToken).ConfigureAwait(false);
        if (chosen.Count == 0) return 0;
        var texts = (await store.QueryAsync<FollowUpText>(Texts, new { projects = chosen.Select(c => c.Project).Distinct().ToList(), event_ids = chosen.Select(c => c.EventId).ToList() }, cancellationToken)
            .ConfigureAwait(false)).ToDictionary(t => t.EventId);
        var stored = 0;
        foreach (var batch in chosen.Where(c => texts.ContainsKey(c.EventId)).Select(c => texts[c.EventId]).Chunk(options.BatchSize))
        {
            var answer = await AskAsync(batch, cancellationToken).ConfigureAwait(false);
            if (answer is null) break; // an error or a timeout: the chat model is unlikely to do better for the next batch now
            var labels = Parse(answer, batch);
            if (labels.Count == 0) continue;
            var now = clock.GetUtcNow();
            await store.InsertAsync("follow_up_reviews", labels.Select(l => new LabelRow(
                l.FollowUp.Project, l.FollowUp.EventId, l.FollowUp.ConversationId, l.FollowUp.TurnId, FollowUpLabelSources.Llm,
                l.Label, l.Confidence, LabelledBy, now)).ToList(), cancellationToken).ConfigureAwait(false);
            stored += labels.Count;
        }
        return stored;
    }

    /// <summary>The follow-ups of one batch as the model reads them, numbered from 1 (their ids in the answer).</summary>
    public static string Prompt(IReadOnlyList<(string Request, string Answer, string FollowUp)> followUps)
    {
        var prompt = new StringBuilder();
        for (var i = 0; i < followUps.Count; i++)
        {
            prompt.Append(CultureInfo.InvariantCulture, $"Follow-up id {i + 1}\n");
            prompt.Append("Request: ").Append(Cut(followUps[i].Request)).Append('\n');
            prompt.Append("Answer: ").Append(Cut(followUps[i].Answer)).Append('\n');
            prompt.Append("Follow-up: ").Append(Cut(followUps[i].FollowUp)).Append("\n\n");
        }
        return prompt.ToString();
    }

    private static string Cut(string text)
    {
        text = text.ReplaceLineEndings(" ");
        if (text.Length <= MaxTextLength) return text;
        return string.Concat(text.AsSpan(0, char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength), "…");
    }

    // The model's answer, or null after an error or a timeout (logged). WaitAsync: a client that ignores the token
    // still gives the batch up at its timeout.
    private async Task<string?> AskAsync(FollowUpText[] batch, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Timeout);
        var prompt = Prompt(batch.Select(f => (f.Request is { Count: > 0 } request ? MiningText.LastUserMessage(request) : "", f.Response, f.Message)).ToList());
        try
        {
            var response = await client.GetResponseAsync(
                    [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, prompt)],
                    new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, limit.Token)
                .WaitAsync(limit.Token).ConfigureAwait(false);
            return response.Text;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(logger, batch.Length, options.Timeout);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, batch.Length, e);
            return null;
        }
    }

    // {"labels": [{id, label, confidence}, ...]} (or the bare array), possibly inside a Markdown code fence. Each
    // item stands on its own: one with an unknown id or label, or without a confidence, is logged and left out.
    private List<LlmLabel> Parse(string answer, FollowUpText[] batch)
    {
        var start = answer.IndexOfAny(['{', '[']);
        var end = answer.LastIndexOfAny(['}', ']']);
        JsonElement items;
        try
        {
            if (start < 0 || end < start) throw new JsonException("no JSON");
            using var json = JsonDocument.Parse(answer.AsMemory(start, end - start + 1));
            items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.Clone()
                : json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("labels", out var labels)
                    && labels.ValueKind == JsonValueKind.Array ? labels.Clone()
                : throw new JsonException("no labels array");
        }
        catch (JsonException)
        {
            LogNotJson(logger, batch.Length, answer.Length > 200 ? answer[..200] : answer);
            return [];
        }
        var found = new Dictionary<int, LlmLabel>();
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("id", out var idElement) || !idElement.TryGetInt32(out var id)
                || !item.TryGetProperty("label", out var labelElement) || labelElement.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("confidence", out var confidenceElement) || !confidenceElement.TryGetDouble(out var confidence))
            {
                LogUnusableItem(logger, item.GetRawText() is var raw && raw.Length > 200 ? raw[..200] : raw, "it is not {id, label, confidence}");
                continue;
            }
            var label = labelElement.GetString()!.Trim().ToLowerInvariant();
            if (id < 1 || id > batch.Length) LogUnusableItem(logger, item.GetRawText(), $"no follow-up has the id {id}");
            else if (!FollowUpLabels.All.Contains(label)) LogUnusableItem(logger, item.GetRawText(), $"'{label}' is not one of {string.Join(", ", FollowUpLabels.All)}");
            else if (!found.TryAdd(id, new LlmLabel(batch[id - 1], label, (float)Math.Clamp(confidence, 0, 1))))
                LogUnusableItem(logger, item.GetRawText(), $"the follow-up with the id {id} was labelled before in the same answer");
        }
        if (found.Count < batch.Length) LogMissing(logger, batch.Length - found.Count, batch.Length);
        return [.. found.Values];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat model could not label {Count} follow-ups; they keep the local model's labels, and the LLM labeler stops for this run")]
    private static partial void LogFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat model did not label {Count} follow-ups within {Timeout}; they keep the local model's labels, and the LLM labeler stops for this run")]
    private static partial void LogTimedOut(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat model's labels of {Count} follow-ups were not the JSON asked for; they keep the local model's labels. It answered: {Answer}")]
    private static partial void LogNotJson(ILogger logger, int count, string answer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A label of the chat model is left out ({Reason}): {Item}")]
    private static partial void LogUnusableItem(ILogger logger, string item, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Missing} of {Count} follow-ups sent got no usable label from the chat model; they keep the local model's labels")]
    private static partial void LogMissing(ILogger logger, int missing, int count);

    private sealed record Candidate(string Project, Guid EventId, string TurnId);

    private sealed record FollowUpText(
        string Project, Guid EventId, string ConversationId, string TurnId, string Message, IReadOnlyList<RequestMessage>? Request, string Response);

    private sealed record LlmLabel(FollowUpText FollowUp, string Label, float Confidence);

    private sealed record LabelRow(
        string Project, Guid EventId, string ConversationId, string TurnId, string Source, string Label, float Confidence,
        string LabelledBy, DateTimeOffset LabelledAt);
}
