using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Edit → pair: the user rewrote the model's answer, so chosen = the user's text and rejected = the model's
/// original, for the turn's request. Edits that change only whitespace and punctuation say nothing and are skipped
/// (<see cref="TurnSignalRules.IsRealEdit"/>, the rule the heavy-edit signal uses too).
/// The join runs in ClickHouse; edits already mined are left out there, so each run only sees new work.
/// </summary>
public sealed class EditPairMiner(IClickHouse store, TimeProvider clock)
{
    /// <summary>How much an edit pair is trusted: the strongest source there is, short of a human label.</summary>
    public const float Confidence = 0.9f;

    private const string Candidates = """
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
        FROM (SELECT * FROM events FINAL WHERE kind = 'edit' AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}) AS e
        INNER JOIN (SELECT * FROM events FINAL WHERE kind = 'turn'
                    AND (project, turn_id) IN (SELECT project, turn_id FROM events WHERE kind = 'edit')) AS t -- only edited turns
            ON t.project = e.project AND t.turn_id = e.turn_id
        WHERE e.event_id NOT IN (SELECT arrayJoin(source_event_ids) FROM pairs FINAL WHERE source = 'edit')
        ORDER BY e.event_id, t.received_at
        LIMIT 1 BY e.event_id
        """;

    public Task<int> MineAsync(CancellationToken cancellationToken = default) => MineAsync(MiningShards.All, cancellationToken);

    /// <summary>Mines the new edits of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> MineAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var candidates = await store.QueryAsync<Candidate>(Candidates, shards.Parameters, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var pairs = candidates
            .Where(c => TurnSignalRules.IsRealEdit(c.Response, c.EditedResponse))
            .Select(c =>
            {
                Guid[] lineage = [c.TurnEventId, c.EditEventId];
                return PreferencePair.Mined(PairSources.Edit, lineage, c.Project, c.Request,
                    chosen: c.EditedResponse, rejected: c.Response, Confidence, c.TurnId, c.Model, c.ModelVersion, c.UserId, now);
            })
            .ToList();
        await store.InsertAsync("pairs", pairs, cancellationToken).ConfigureAwait(false);
        return pairs.Count;
    }

    private sealed record Candidate(
        Guid EditEventId, string Project, string UserId, string EditedResponse, Guid TurnEventId, string TurnId,
        IReadOnlyList<RequestMessage> Request, string Response, string Model, string ModelVersion);
}
