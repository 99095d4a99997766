using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// The part of a turn's signals that needs C# to read text, once per event, into <c>text_signals</c> (migration
/// 0020): the follow-up classifier's label of each follow-up, and of each edit whether it changes more than
/// whitespace and punctuation and its edit-distance ratio (<see cref="TurnSignalRules"/>). Runs first in
/// <see cref="TurnSignalsJob"/> and reads every such event it has not read yet. An event whose turn has not
/// arrived yet waits for it.
/// </summary>
public sealed class TextSignalsJob(IClickHouse store, TimeProvider clock, int batchSize = TextSignalsJob.BatchSize)
{
    /// <summary>Events read, classified and written at a time: ML.NET runs over batches, and memory stays bounded.</summary>
    public const int BatchSize = 200_000;

    // Every follow-up and edit not read yet, whatever its age: the table itself is the mark. A page at a time in the
    // events' key order (project, conversation_id, turn_id, event_id: 0024). One whose turn has not arrived comes back
    // with found = 0, is skipped, and is tried again next run.
    private const string Unread = """
        WITH unread AS
        (
            -- No FINAL, so a page is read in key order and stops at its limit; a re-delivered copy of an event would
            -- only be read twice into the same text_signals row.
            SELECT project, conversation_id, turn_id, event_id, kind, timestamp, message, edited_response
            FROM events
            WHERE kind IN ('follow_up', 'edit')
                AND (project, conversation_id, turn_id, event_id)
                    > ({after_project:String}, {after_conversation:String}, {after_turn:String}, {after_event:UUID})
                AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
                AND (project, event_id) NOT IN (SELECT project, event_id FROM text_signals)
            ORDER BY project, conversation_id, turn_id, event_id
            LIMIT {limit:UInt32}
        )
        SELECT e.project AS project, e.conversation_id AS conversation_id, e.turn_id AS turn_id, e.event_id AS event_id, e.kind AS kind, e.timestamp AS timestamp,
            e.message AS message, e.edited_response AS edited_response,
            ifNull(t.found, 0) AS found, t.request AS request, ifNull(t.response, '') AS response
        FROM unread AS e
        LEFT JOIN
        (
            SELECT project, turn_id, toUInt8(1) AS found, any(request) AS request, any(response) AS response
            FROM events -- no FINAL: a re-delivered copy has the same texts
            WHERE kind = 'turn' AND (project, turn_id) IN (SELECT project, turn_id FROM unread)
            GROUP BY project, turn_id
        ) AS t ON t.project = e.project AND t.turn_id = e.turn_id
        ORDER BY e.project, e.conversation_id, e.turn_id, e.event_id
        """;

    private readonly Lock classifying = new(); // the classifier is not thread-safe
    private FollowUpClassifier? classifier;

    /// <summary>Reads the follow-ups and edits not read yet; returns how many events were read.</summary>
    public Task<int> DeriveAsync(CancellationToken cancellationToken = default) => DeriveAsync(MiningShards.All, cancellationToken);

    /// <summary>Reads the follow-ups and edits not read yet of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> DeriveAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var read = 0;
        var after = (Project: "", ConversationId: "", TurnId: "", EventId: Guid.Empty);
        while (true)
        {
            var page = await store.QueryAsync<TextEvent>(Unread, shards.With(new
            {
                after_project = after.Project,
                after_conversation = after.ConversationId,
                after_turn = after.TurnId,
                after_event = after.EventId,
                limit = (uint)batchSize,
            }), cancellationToken).ConfigureAwait(false);
            var rows = Read(page.Where(e => e.Found == 1).ToList());
            foreach (var chunk in rows.Chunk(100_000))
                await store.InsertAsync("text_signals", chunk, cancellationToken).ConfigureAwait(false);
            read += rows.Count;
            if (page.Count < batchSize) return read;
            after = (page[^1].Project, page[^1].ConversationId, page[^1].TurnId, page[^1].EventId);
        }
    }

    private List<TextSignal> Read(IReadOnlyList<TextEvent> events)
    {
        var now = clock.GetUtcNow();
        var followUps = events.Where(e => e.Kind == EventKinds.FollowUp).ToList();
        IReadOnlyList<FollowUpPrediction> labels;
        lock (classifying)
        {
            classifier ??= FollowUpClassifier.LoadShipped();
            // One batch over every core: at scale the classifier is the most expensive step of a mining run.
            // The request's last user message, as in the corpus: the conversation before it is not what the follow-up answers.
            labels = classifier.ClassifyAll(followUps.Select(e => new FollowUp(MiningText.LastUserMessage(e.Request), e.Response, e.Message)).ToList());
        }
        return followUps.Zip(labels, (e, label) => Row(e, now) with { FollowUpLabel = label.Label, FollowUpConfidence = label.Confidence })
            .Concat(events.Where(e => e.Kind == EventKinds.Edit).Select(e => TurnSignalRules.IsRealEdit(e.Response, e.EditedResponse)
                ? Row(e, now) with { RealEdit = 1, EditDistanceRatio = TurnSignalRules.EditDistanceRatio(e.Response, e.EditedResponse) }
                : Row(e, now)))
            .ToList();
    }

    private static TextSignal Row(TextEvent e, DateTimeOffset now) => new(e.Project, e.TurnId, e.EventId, e.Kind, e.Timestamp, now);

    private sealed record TextEvent(
        string Project, string ConversationId, string TurnId, Guid EventId, string Kind, DateTimeOffset Timestamp, string Message, string EditedResponse,
        byte Found, IReadOnlyList<RequestMessage> Request, string Response);

    private sealed record TextSignal(string Project, string TurnId, Guid EventId, string Kind, DateTimeOffset EventTimestamp, DateTimeOffset DerivedAt)
    {
        public string FollowUpLabel { get; init; } = "";

        public float? FollowUpConfidence { get; init; }

        public byte RealEdit { get; init; }

        public double? EditDistanceRatio { get; init; }
    }
}
