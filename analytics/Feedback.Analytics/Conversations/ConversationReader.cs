using System.Globalization;
using Feedback.Analytics.Store;
using Feedback.Analytics.Trends;
using Feedback.Events;

namespace Feedback.Analytics.Conversations;

/// <summary>
/// The drill-down of the read API (docs/read-api.md): the conversations behind a data point, a page at a time,
/// and one conversation's turns with their signals and feedback. ClickHouse does the grouping and paging, so a
/// page costs one query however many turns the project holds.
/// </summary>
public sealed class ConversationReader(IClickHouse store)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The values of <c>signal</c>: a turn with any feedback, a positive or a negative one.</summary>
    public static IReadOnlyList<string> Signals { get; } = ["any", "positive", "negative"];

    // The turns the filter selects (turn_signals: one row per derived turn; the filter and the key are the trends',
    // TurnCountQuery), in the series {by} = {key} when {by} is given and of the topic {topic} by the project's
    // current fit when {in_topic}, grouped per conversation; a signal keeps the conversations with at least one such
    // turn. Newest first: by the conversation's last selected turn.
    internal const string List = """
        SELECT
            conversation_id,
            any(user_id) AS user_id,
            min(turn_timestamp) AS started_at,
            max(turn_timestamp) AS last_at,
            count() AS turns,
            arraySort(groupUniqArray(model)) AS models,
            countIf(is_positive) AS positive,
            countIf(is_negative) AS negative,
            countIf(is_feedback) AS with_feedback
        FROM turn_signals FINAL
        WHERE project = {project:String}
          AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
          AND (empty({models:Array(String)}) OR has({models:Array(String)}, model))
          AND (empty({model_versions:Array(String)}) OR has({model_versions:Array(String)}, model_version))
          AND (empty({prompt_templates:Array(String)}) OR has({prompt_templates:Array(String)}, prompt_template))
          AND (empty({stages:Array(String)}) OR has({stages:Array(String)}, stage))
          AND arrayAll((k, v) -> metadata[k] = v, {metadata_keys:Array(String)}, {metadata_values:Array(String)})
          AND ({by:String} = '' OR multiIf({by:String} = 'model', model, {by:String} = 'model_version', model_version,
                {by:String} = 'prompt_template', prompt_template, {by:String} = 'stage', stage,
                {by:String} = 'metadata', metadata[{field_key:String}], '') = {key:String})
          AND ({in_topic:UInt8} = 0 OR turn_id IN
              (
                  SELECT turn_id FROM topic_assignments FINAL
                  WHERE project = {project:String} AND topic_id = {topic:UInt32}
                    AND fit = (SELECT max(fit) FROM topic_models WHERE project = {project:String})
              ))
        GROUP BY conversation_id
        HAVING {signal:String} = ''
            OR ({signal:String} = 'any' AND with_feedback > 0)
            OR ({signal:String} = 'positive' AND positive > 0)
            OR ({signal:String} = 'negative' AND negative > 0)
        ORDER BY last_at DESC, conversation_id
        LIMIT {limit:UInt32} OFFSET {offset:UInt64}
        """;

    // The turn events and the feedback events of a conversation in one read (a range of the events' sorting key
    // since migration 0024, so the project is not scanned). Evaluations are an evaluator's, not the user's feedback:
    // left out here, as they are of every signal.
    // Bounded in bytes, not only in rows: the events up to MaxViewBytes (by the engine's byteSize, running in the
    // view's order; the one that crosses the bound still comes, so a view is never empty), at most MaxViewEvents.
    // The sizes are summed over narrow rows first, so no text is held for events left out.
    private const string Events = """
        SELECT kind, turn_id, timestamp, user_id, model, model_version, prompt_template, stage, metadata, request, response,
            thumb, emoji, rating, rating_scale, comment, edited_response, message, new_turn_id, chosen_turn_id, copied_text
        FROM events FINAL
        WHERE project = {project:String} AND conversation_id = {conversation_id:String} AND kind != 'evaluation'
          AND event_id IN (
            SELECT event_id FROM (
                SELECT event_id, timestamp, turn_id,
                    sum(byteSize(request, response, metadata, comment, edited_response, message, copied_text))
                        OVER (ORDER BY timestamp, turn_id, event_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
                FROM events FINAL
                WHERE project = {project:String} AND conversation_id = {conversation_id:String} AND kind != 'evaluation')
            WHERE before < {max_bytes:UInt64}
            ORDER BY timestamp, turn_id, event_id
            LIMIT {max_events:UInt32})
        ORDER BY timestamp, turn_id, event_id
        """;

    /// <summary>Most bytes of events in one conversation view; the rest is left out and the view says it is truncated.</summary>
    public const long MaxViewBytes = 16 * 1024 * 1024;

    /// <summary>Most events in one conversation view.</summary>
    public const int MaxViewEvents = 10_000;

    private const string SignalRows = """
        SELECT turn_id, reaction_polarity, thumbs_up, thumbs_down, rating_normalized, edited, edit_distance_ratio,
            regenerated, chosen, not_chosen, copied, follow_up_label, follow_up_confidence,
            is_positive AS positive, is_negative AS negative
        FROM turn_signals FINAL
        WHERE project = {project:String} AND conversation_id = {conversation_id:String}
        """;

    /// <summary>
    /// One page of the conversations with turns the filter selects (in the series <paramref name="by"/> =
    /// <paramref name="key"/> and of the <paramref name="topic"/> when given; with a signal, at least one such
    /// turn with it).
    /// </summary>
    public async Task<ConversationPage> ListAsync(
        TrendFilter filter, TrendField? by, string? key, uint? topic, string? signal, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var parameters = TurnCountQuery.FilterParameters(filter, by);
        parameters["key"] = key ?? "";
        parameters["in_topic"] = topic is null ? (byte)0 : (byte)1;
        parameters["topic"] = topic ?? 0;
        parameters["signal"] = signal ?? "";
        parameters["limit"] = (uint)pageSize + 1; // one more than asked tells whether there is a next page
        parameters["offset"] = (ulong)(page - 1) * (ulong)pageSize;
        var rows = await store.QueryAsync<ConversationSummary>(List, parameters, cancellationToken).ConfigureAwait(false);
        return new ConversationPage(page, pageSize, rows.Count > pageSize, rows.Take(pageSize).ToList());
    }

    /// <summary>Every turn of a conversation in order, with its signals and feedback; null when it has no turns.</summary>
    public async Task<Conversation?> GetAsync(string project, string conversationId, CancellationToken cancellationToken = default)
    {
        var parameters = new { project, conversation_id = conversationId };
        var events = await store.QueryAsync<EventRow>(
            Events, new { project, conversation_id = conversationId, max_bytes = (ulong)MaxViewBytes, max_events = (uint)MaxViewEvents + 1 }, cancellationToken)
            .ConfigureAwait(false);
        var truncated = events.Count > MaxViewEvents || await IsCutByBytesAsync(project, conversationId, events.Count, cancellationToken).ConfigureAwait(false);
        if (events.Count > MaxViewEvents) events = events.Take(MaxViewEvents).ToList();
        var turns = events.Where(e => e.Kind == EventKinds.Turn).ToList();
        if (turns.Count == 0) return null;
        var feedback = events.Where(e => e.Kind != EventKinds.Turn).ToLookup(f => f.TurnId);
        var signals = (await store.QueryAsync<SignalsRow>(SignalRows, parameters, cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.TurnId);
        return new Conversation(conversationId, turns[0].UserId, turns.Select(t => new ConversationTurn(
            t.TurnId, t.Timestamp, t.Model, t.ModelVersion, t.PromptTemplate, t.Stage, t.Metadata, t.Request, t.Response,
            signals.TryGetValue(t.TurnId, out var s) ? s.ToSignals() : null,
            feedback[t.TurnId].Select(f => new FeedbackItem(f.Kind, f.Timestamp, f.Text())).ToList())).ToList(), truncated);
    }

    private async Task<bool> IsCutByBytesAsync(string project, string conversationId, int read, CancellationToken cancellationToken) =>
        (await store.QueryAsync<CountRow>(
            "SELECT count() AS n FROM events FINAL WHERE project = {project:String} AND conversation_id = {conversation_id:String} AND kind != 'evaluation'",
            new { project, conversation_id = conversationId }, cancellationToken).ConfigureAwait(false))[0].N > read;

    private sealed record CountRow(long N);

    /// <summary>An event of the conversation: a turn (its fields up to Response) or feedback about one (the rest).</summary>
    private sealed record EventRow(
        string Kind, string TurnId, DateTimeOffset Timestamp, string UserId, string Model, string ModelVersion, string PromptTemplate,
        string Stage, IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<RequestMessage> Request, string Response,
        string Thumb, string Emoji, double? Rating, double? RatingScale, string Comment, string EditedResponse, string Message,
        string NewTurnId, string ChosenTurnId, string CopiedText)
    {
        /// <summary>What the user did (a feedback event), as one line to read.</summary>
        public string Text()
        {
            var text = Kind switch
            {
                EventKinds.Reaction => string.Join(" ", new[]
                {
                    Thumb switch { "up" => "👍", "down" => "👎", _ => "" },
                    Emoji,
                    Rating is { } r ? string.Create(CultureInfo.InvariantCulture, $"rated {r:0.##}/{RatingScale ?? 1:0.##}") : "",
                }.Where(p => p.Length > 0)),
                EventKinds.Edit => EditedResponse,
                EventKinds.FollowUp => Message,
                EventKinds.Regenerate => NewTurnId.Length > 0 ? $"regenerated as {NewTurnId}" : "regenerated",
                EventKinds.Choice => ChosenTurnId == TurnId ? "chosen" : $"chose {ChosenTurnId}",
                EventKinds.Copy => CopiedText.Length > 0 ? CopiedText : "copied",
                _ => "",
            };
            return Comment.Length == 0 ? text : text.Length == 0 ? Comment : $"{text}: {Comment}";
        }
    }

    private sealed record SignalsRow(
        string TurnId, sbyte ReactionPolarity, long ThumbsUp, long ThumbsDown, double? RatingNormalized, byte Edited,
        double? EditDistanceRatio, byte Regenerated, long Chosen, long NotChosen, byte Copied, string FollowUpLabel,
        float? FollowUpConfidence, byte Positive, byte Negative)
    {
        public TurnSignalsView ToSignals() => new(
            ReactionPolarity, ThumbsUp, ThumbsDown, RatingNormalized, Edited != 0, EditDistanceRatio, Regenerated != 0,
            Chosen, NotChosen, Copied != 0, FollowUpLabel.Length > 0 ? FollowUpLabel : null, FollowUpConfidence,
            Positive != 0, Negative != 0);
    }
}
