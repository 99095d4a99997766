using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Edit → pair: the user rewrote the model's answer, so chosen = the user's text and rejected = the model's
/// original, for the turn's request. Edits that change only whitespace and punctuation say nothing and are skipped
/// (<see cref="TurnSignalRules.IsRealEdit"/>, the rule the heavy-edit signal uses too).
/// <para>
/// Incremental like <see cref="ChoicePairMiner"/> (<see cref="MiningMarks"/>), so it runs after
/// <see cref="TurnSignalsJob"/>: an edit re-derives its turn's signals, and a turn that arrives after its edit gets
/// its first signals row then. So a run reads only the edits of turns whose signals were derived since the last
/// run, and joins only those turns; pairs already stored are left out by id (<see cref="StoredPairs"/>).
/// </para>
/// </summary>
public sealed class EditPairMiner(IClickHouse store, TimeProvider clock) : IPairMiner
{
    public string Source => PairSources.Edit;

    /// <summary>How much an edit pair is trusted: the strongest source there is, short of a human label.</summary>
    public const float Confidence = 0.9f;

    private const string Candidates = """
        WITH
            touched AS MATERIALIZED
            (
                -- Constant bounds, so that the index on derived_at (0027) skips what was mined before.
                SELECT project, conversation_id, turn_id
                FROM turn_signals
                WHERE derived_at > {lower:DateTime64(3, 'UTC')} AND derived_at <= {upper:DateTime64(3, 'UTC')}
                    AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
            ),
            edited AS
            (
                -- The edits of touched turns, found by the events' key prefix (project, conversation_id, turn_id: 0024).
                -- No FINAL: a re-delivered copy names the same event.
                SELECT DISTINCT project, conversation_id, turn_id, event_id
                FROM events
                WHERE kind = 'edit' AND (project, conversation_id, turn_id) IN touched
            )
        SELECT
            e.event_id AS edit_event_id,
            e.project AS project,
            e.user_id AS user_id,
            e.edited_response AS edited_response,
            t.event_id AS turn_event_id,
            t.turn_id AS turn_id,
            t.request AS request,
            t.response AS response,
            t.model AS model,
            t.model_version AS model_version
        -- Read by the events' whole sorting key (project, conversation_id, turn_id, event_id: 0024).
        FROM (SELECT * FROM events FINAL WHERE kind = 'edit' AND (project, conversation_id, turn_id, event_id) IN edited) AS e
        INNER JOIN (SELECT * FROM events FINAL WHERE kind = 'turn'
                    AND (project, conversation_id, turn_id) IN touched) AS t -- only the touched turns
            ON t.project = e.project AND t.turn_id = e.turn_id
        ORDER BY e.event_id, t.received_at
        LIMIT 1 BY e.event_id
        """;

    public Task<int> MineAsync(CancellationToken cancellationToken = default) => MineAsync(MiningShards.All, cancellationToken);

    /// <summary>Mines the new edits of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> MineAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var marks = new MiningMarks(store, clock);
        var window = await marks.WindowAsync(Source, shards, cancellationToken).ConfigureAwait(false);
        var candidates = await store.QueryAsync<Candidate>(Candidates, shards.With(new { lower = window.Lower, upper = window.Upper }), cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var mined = candidates
            .Where(c => TurnSignalRules.IsRealEdit(c.Response, c.EditedResponse))
            .Select(c =>
            {
                Guid[] lineage = [c.TurnEventId, c.EditEventId];
                return PreferencePair.Mined(PairSources.Edit, lineage, c.Project, c.Request,
                    chosen: c.EditedResponse, rejected: c.Response, Confidence, c.TurnId, c.Model, c.ModelVersion, c.UserId, now);
            })
            .ToList();
        // An edit is read again when its turn is re-derived (a reaction, another edit); its pair, stored already,
        // is left out rather than written again with a new created_at.
        var pairs = await StoredPairs.InsertNewAsync(store, mined, cancellationToken).ConfigureAwait(false);
        await marks.AdvanceAsync(Source, window.Upper, shards, cancellationToken).ConfigureAwait(false);
        return pairs.Count;
    }

    private sealed record Candidate(
        Guid EditEventId, string Project, string UserId, string EditedResponse, Guid TurnEventId, string TurnId,
        IReadOnlyList<RequestMessage> Request, string Response, string Model, string ModelVersion);
}
