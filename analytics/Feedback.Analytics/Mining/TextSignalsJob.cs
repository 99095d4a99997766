using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Reviews;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// The part of a turn's signals that needs C# to read text, once per event, into <c>text_signals</c> (migration
/// 0020): the follow-up classifier's label of each follow-up, and of each edit whether it changes more than
/// whitespace and punctuation and its edit-distance ratio (<see cref="TurnSignalRules"/>). Runs first in
/// <see cref="TurnSignalsJob"/> and reads every such event it has not read yet of the turns with new events
/// (<see cref="SignalsMarks"/>). An event whose turn has not arrived yet waits for it. A project with its own model
/// (<c>feedback train --project</c>, <see cref="ProjectFollowUpModels"/>) gets its follow-ups labelled by it, and each
/// row keeps which model labelled it (<c>follow_up_model</c>, '' for the shipped one), so when a project's model
/// changes, the next run labels that project's follow-ups again (<see cref="Relabel"/>) and <see cref="TurnSignalsJob"/>
/// re-derives their turns.
/// </summary>
public sealed class TextSignalsJob(IClickHouse store, TimeProvider clock, int batchSize = TextSignalsJob.BatchSize)
{
    /// <summary>
    /// About how many events of the window a page of texts covers (whole conversations: a larger one is one page), and
    /// how many follow-ups a relabelling reads at a time: ML.NET runs over batches, and memory stays bounded.
    /// </summary>
    public const int BatchSize = 200_000;

    // The pending projects' conversations with events received since each one's bound (SignalsMarks.Bounds), cut into
    // ranges of the events' key (project, conversation_id: 0024) of about {limit} of those events each, in key order;
    // Unread reads a range at a time. A cursor over one ordered statement would read the window from the cursor to its
    // end for every page: at 10M turns, 34 pages each read most of the events. A conversation is never split.
    private const string Pages = """
        SELECT argMin(project, key) AS first_project, argMin(conversation_id, key) AS first_conversation,
            argMax(project, key) AS last_project, argMax(conversation_id, key) AS last_conversation
        FROM
        (
            SELECT project, conversation_id, (project, conversation_id) AS key,
                intDiv(sum(count()) OVER (ORDER BY project, conversation_id ROWS UNBOUNDED PRECEDING) - count(), {limit:UInt32}) AS page
            FROM events
            WHERE project IN (SELECT arrayJoin({projects:Array(String)})) AND received_at > {stalest:DateTime64(3, 'UTC')}
                AND received_at > {sinces:Array(DateTime64(3, 'UTC'))}[indexOf({projects:Array(String)}, project)]
                AND kind != 'evaluation'
            GROUP BY project, conversation_id
        )
        GROUP BY page
        ORDER BY page
        """;

    // The follow-ups and edits not read yet of one page's turns with events received since their project's bound, as
    // TurnSignalsJob derives them: a new follow-up touches its turn, and so does a turn arriving after its follow-ups,
    // so one whose turn has not arrived comes back with found = 0, is skipped, and is read once the turn comes. The
    // page's range is written as the key can use it (a comparison of tuples it cannot), and the touched turns are
    // found by the key (project, conversation_id, turn_id).
    private const string Unread = """
        WITH
        touched AS MATERIALIZED
        (
            SELECT DISTINCT project, conversation_id, turn_id FROM events
            WHERE project IN (SELECT arrayJoin({projects:Array(String)})) AND received_at > {stalest:DateTime64(3, 'UTC')}
                AND received_at > {sinces:Array(DateTime64(3, 'UTC'))}[indexOf({projects:Array(String)}, project)]
                AND kind != 'evaluation'
                AND (project > {first_project:String} OR (project = {first_project:String} AND conversation_id >= {first_conversation:String}))
                AND (project < {last_project:String} OR (project = {last_project:String} AND conversation_id <= {last_conversation:String}))
        ),
        unread AS MATERIALIZED
        (
            -- No FINAL: a re-delivered copy of an event would only be read twice into the same text_signals row.
            SELECT project, conversation_id, turn_id, event_id, kind, timestamp, message, edited_response
            FROM events
            WHERE kind IN ('follow_up', 'edit')
                AND (project, conversation_id, turn_id) IN touched
                AND (project, event_id) NOT IN
                    (SELECT project, event_id FROM text_signals WHERE (project, turn_id) IN (SELECT project, turn_id FROM touched))
        )
        SELECT e.project AS project, e.turn_id AS turn_id, e.event_id AS event_id, e.kind AS kind, e.timestamp AS timestamp,
            e.message AS message, e.edited_response AS edited_response,
            ifNull(t.found, 0) AS found, t.request AS request, ifNull(t.response, '') AS response
        FROM unread AS e
        LEFT JOIN
        (
            SELECT project, turn_id, toUInt8(1) AS found, any(request) AS request, any(response) AS response
            FROM events -- no FINAL: a re-delivered copy has the same texts
            WHERE kind = 'turn' AND (project, conversation_id, turn_id) IN (SELECT project, conversation_id, turn_id FROM unread)
            GROUP BY project, turn_id
        ) AS t ON t.project = e.project AND t.turn_id = e.turn_id
        """;

    // A project's follow-ups labelled by another model than its current one: its stored row is replaced. In the shape
    // of Unread's rows, a page at a time in text_signals' key order (project, turn_id, event_id), the cursor written as
    // the key can use it (a comparison of tuples it cannot). The texts are the events' (no FINAL: a re-delivered copy
    // has the same texts).
    private const string Relabel = """
        WITH stale AS MATERIALIZED
        (
            SELECT project, turn_id, event_id, event_timestamp
            FROM text_signals FINAL
            WHERE project = {project:String} AND kind = 'follow_up' AND follow_up_model != {version:String}
                AND (turn_id > {after_turn:String} OR (turn_id = {after_turn:String} AND event_id > {after_event:UUID}))
            ORDER BY turn_id, event_id
            LIMIT {limit:UInt32}
        )
        SELECT s.project AS project, s.turn_id AS turn_id, s.event_id AS event_id, 'follow_up' AS kind,
            s.event_timestamp AS timestamp, ifNull(f.message, '') AS message, '' AS edited_response,
            toUInt8(ifNull(f.found, 0) = 1 AND ifNull(t.found, 0) = 1) AS found, t.request AS request, ifNull(t.response, '') AS response
        FROM stale AS s
        LEFT JOIN
        (
            SELECT event_id, toUInt8(1) AS found, any(message) AS message FROM events
            WHERE project = {project:String} AND kind = 'follow_up' AND event_id IN (SELECT event_id FROM stale)
            GROUP BY event_id
        ) AS f ON f.event_id = s.event_id
        LEFT JOIN
        (
            SELECT turn_id, toUInt8(1) AS found, any(request) AS request, any(response) AS response FROM events
            WHERE project = {project:String} AND kind = 'turn' AND turn_id IN (SELECT turn_id FROM stale)
            GROUP BY turn_id
        ) AS t ON t.turn_id = s.turn_id
        ORDER BY s.turn_id, s.event_id
        """;

    private readonly ProjectFollowUpModels models = new(store);
    private readonly SignalsMarks marks = new(store, clock);
    private readonly Lock classifying = new(); // the classifiers are not thread-safe
    private FollowUpClassifier? shipped;
    private Dictionary<string, (string Version, FollowUpClassifier Classifier)> projectModels = []; // loaded, by project
    private IReadOnlyDictionary<string, string> adapted = new Dictionary<string, string>(); // this run's projects with a model: version

    /// <summary>Reads the follow-ups and edits not read yet; returns how many events were read.</summary>
    public Task<int> DeriveAsync(CancellationToken cancellationToken = default) => DeriveAsync(MiningShards.All, cancellationToken);

    /// <summary>Reads the follow-ups and edits not read yet of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> DeriveAsync(MiningShards shards, CancellationToken cancellationToken = default) =>
        await DeriveAsync(shards, await marks.PendingAsync(shards, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The same, for the <paramref name="pending"/> projects a caller has already found (<see cref="SignalsMarks.PendingAsync"/>):
    /// reading texts changes nothing that finding them reads, so <see cref="TurnSignalsJob"/> finds them once for both steps.
    /// </summary>
    public async Task<int> DeriveAsync(MiningShards shards, IReadOnlyList<ProjectSignalsWindow> pending, CancellationToken cancellationToken = default)
    {
        adapted = await models.VersionsAsync(shards, cancellationToken).ConfigureAwait(false);
        var read = await RelabelAsync(cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0) return read;
        var pages = await store.QueryAsync<Page>(Pages, SignalsMarks.Bounds(pending, new { limit = (uint)batchSize }), cancellationToken).ConfigureAwait(false);
        foreach (var page in pages)
        {
            var texts = await store.QueryAsync<TextEvent>(Unread, SignalsMarks.Bounds(pending, new
            {
                first_project = page.FirstProject,
                first_conversation = page.FirstConversation,
                last_project = page.LastProject,
                last_conversation = page.LastConversation,
            }), cancellationToken).ConfigureAwait(false);
            read += await WriteAsync(texts, cancellationToken).ConfigureAwait(false);
        }
        return read;
    }

    private async Task<int> WriteAsync(IReadOnlyList<TextEvent> page, CancellationToken cancellationToken)
    {
        var events = page.Where(e => e.Found == 1).ToList();
        await LoadModelsAsync(events.Where(e => e.Kind == EventKinds.FollowUp).Select(e => e.Project).Distinct(), cancellationToken).ConfigureAwait(false);
        var rows = Read(events);
        foreach (var chunk in rows.Chunk(100_000))
            await store.InsertAsync("text_signals", chunk, cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    /// <summary>
    /// Loads the own model of each of <paramref name="projects"/> that has one not loaded yet at its current version:
    /// only when the project has follow-ups to label, so a run with nothing new of an adapted project loads no bundle.
    /// </summary>
    private async Task LoadModelsAsync(IEnumerable<string> projects, CancellationToken cancellationToken)
    {
        foreach (var project in projects)
        {
            if (!adapted.TryGetValue(project, out var version) || projectModels.TryGetValue(project, out var known) && known.Version == version) continue;
            if (await models.LatestAsync(project, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                var model = (stored.Version, stored.Load());
                lock (classifying) projectModels = new(projectModels) { [project] = model };
            }
        }
    }

    /// <summary>Labels again the follow-ups of each adapted project that another model labelled; returns how many.</summary>
    private async Task<int> RelabelAsync(CancellationToken cancellationToken)
    {
        var read = 0;
        foreach (var (project, version) in adapted)
        {
            var after = (TurnId: "", EventId: Guid.Empty);
            while (true)
            {
                var page = await store.QueryAsync<TextEvent>(Relabel, new
                {
                    project,
                    version,
                    after_turn = after.TurnId,
                    after_event = after.EventId,
                    limit = (uint)batchSize,
                }, cancellationToken).ConfigureAwait(false);
                read += await WriteAsync(page, cancellationToken).ConfigureAwait(false);
                if (page.Count < batchSize) break;
                after = (page[^1].TurnId, page[^1].EventId);
            }
        }
        return read;
    }

    private List<TextSignal> Read(IReadOnlyList<TextEvent> events)
    {
        var now = clock.GetUtcNow();
        var labelled = new List<TextSignal>();
        lock (classifying)
        {
            // A batch per model over every core: at scale the classifier is the most expensive step of a mining run.
            foreach (var project in events.Where(e => e.Kind == EventKinds.FollowUp).GroupBy(e => e.Project))
            {
                var followUps = project.ToList();
                var (version, classifier) = adapted.ContainsKey(project.Key) && projectModels.TryGetValue(project.Key, out var own)
                    ? own : ("", shipped ??= FollowUpClassifier.LoadShipped());
                // The request's last user message, as in the corpus: the conversation before it is not what the follow-up answers.
                var labels = classifier.ClassifyAll(followUps.Select(e => new FollowUp(MiningText.LastUserMessage(e.Request), e.Response, e.Message)).ToList());
                labelled.AddRange(followUps.Zip(labels, (e, label) =>
                    Row(e, now) with { FollowUpLabel = label.Label, FollowUpConfidence = label.Confidence, FollowUpModel = version }));
            }
        }
        return labelled
            .Concat(events.Where(e => e.Kind == EventKinds.Edit).Select(e => TurnSignalRules.IsRealEdit(e.Response, e.EditedResponse)
                ? Row(e, now) with { RealEdit = 1, EditDistanceRatio = TurnSignalRules.EditDistanceRatio(e.Response, e.EditedResponse) }
                : Row(e, now)))
            .ToList();
    }

    private static TextSignal Row(TextEvent e, DateTimeOffset now) => new(e.Project, e.TurnId, e.EventId, e.Kind, e.Timestamp, now);

    private sealed record Page(string FirstProject, string FirstConversation, string LastProject, string LastConversation);

    private sealed record TextEvent(
        string Project, string TurnId, Guid EventId, string Kind, DateTimeOffset Timestamp, string Message, string EditedResponse,
        byte Found, IReadOnlyList<RequestMessage> Request, string Response);

    private sealed record TextSignal(string Project, string TurnId, Guid EventId, string Kind, DateTimeOffset EventTimestamp, DateTimeOffset DerivedAt)
    {
        public string FollowUpLabel { get; init; } = "";

        public float? FollowUpConfidence { get; init; }

        /// <summary>'' for the shipped classifier, else the version of the project's own.</summary>
        public string FollowUpModel { get; init; } = "";

        public byte RealEdit { get; init; }

        public double? EditDistanceRatio { get; init; }
    }
}
