using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Choice → pairs: the user picked one of several answers shown, so each other alternative is a rejected answer
/// to the chosen turn's request, one pair per alternative. Alternatives whose turn is unknown, or whose answer
/// equals the chosen one ignoring whitespace, are skipped.
/// <para>
/// Incremental, like sources 4 and 5 (<see cref="MiningMarks"/>), so it runs after <see cref="TurnSignalsJob"/>: a
/// choice event re-derives the signals of every turn it shows (<c>chosen</c>, <c>not_chosen</c>), and a turn that
/// arrives after the choice gets its first signals row then. So a run reads only the choices that show a turn whose
/// signals were derived since the last run, and joins only the turns those choices name: a new choice is mined once
/// its chosen turn is known, and an alternative whose turn arrives late on the run after it arrives.
/// </para>
/// </summary>
public sealed class ChoicePairMiner(IClickHouse store, TimeProvider clock) : IPairMiner
{
    public string Source => PairSources.Choice;

    /// <summary>How much a choice pair is trusted: a deliberate comparison by the user, a little weaker than an edit.</summary>
    public const float Confidence = 0.8f;

    // A choice's chosen turn is always one of its alternatives (the ingest checks it), so the signals rows with
    // chosen > 0 or not_chosen > 0 are every turn a choice shows.
    private const string Candidates = """
        WITH
            touched AS MATERIALIZED
            (
                -- Constant bounds, so that the index on derived_at (0027) skips what was mined before.
                SELECT project, conversation_id, turn_id
                FROM turn_signals
                WHERE derived_at > {lower:DateTime64(3, 'UTC')} AND derived_at <= {upper:DateTime64(3, 'UTC')}
                    AND (chosen > 0 OR not_chosen > 0)
                    AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
            ),
            shown AS
            (
                -- The choices that show a touched turn, in its conversation (a choice carries its turns' conversation_id),
                -- so only the conversations' granules are read (the events' key: 0024). No FINAL: a re-delivered copy
                -- names the same turns.
                SELECT DISTINCT project, conversation_id, turn_id, event_id
                FROM events
                ARRAY JOIN alternative_turn_ids AS named
                WHERE kind = 'choice' AND (project, conversation_id) IN (SELECT project, conversation_id FROM touched)
                    AND (project, named) IN (SELECT project, turn_id FROM touched)
            ),
            c AS MATERIALIZED
            (
                -- Read by the events' whole sorting key (project, conversation_id, turn_id, event_id: 0024).
                SELECT event_id, project, conversation_id, user_id, chosen_turn_id, arrayJoin(alternative_turn_ids) AS alternative
                FROM events FINAL
                WHERE kind = 'choice' AND (project, conversation_id, turn_id, event_id) IN shown
            )
        SELECT
            c.event_id AS choice_event_id,
            c.project AS project,
            c.user_id AS user_id,
            chosen.event_id AS chosen_turn_event_id,
            chosen.turn_id AS turn_id,
            chosen.request AS request,
            chosen.response AS chosen_response,
            chosen.model AS model,
            chosen.model_version AS model_version,
            rejected.event_id AS rejected_turn_event_id,
            rejected.response AS rejected_response
        FROM c
        -- Only the turns those choices name are read and joined.
        INNER JOIN (SELECT event_id, project, turn_id, received_at, request, response, model, model_version FROM events FINAL
                    WHERE kind = 'turn' AND (project, conversation_id, turn_id) IN (SELECT project, conversation_id, chosen_turn_id FROM c)) AS chosen
            ON chosen.project = c.project AND chosen.turn_id = c.chosen_turn_id
        INNER JOIN (SELECT event_id, project, turn_id, received_at, response FROM events FINAL
                    WHERE kind = 'turn' AND (project, conversation_id, turn_id) IN (SELECT project, conversation_id, alternative FROM c)) AS rejected
            ON rejected.project = c.project AND rejected.turn_id = c.alternative
        WHERE c.alternative != c.chosen_turn_id
        ORDER BY c.event_id, c.alternative, chosen.received_at, rejected.received_at
        LIMIT 1 BY c.event_id, c.alternative
        """;

    public Task<int> MineAsync(CancellationToken cancellationToken = default) => MineAsync(MiningShards.All, cancellationToken);

    /// <summary>Mines the new choices of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> MineAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var marks = new MiningMarks(store, clock);
        var window = await marks.WindowAsync(Source, shards, cancellationToken).ConfigureAwait(false);
        var candidates = await store.QueryAsync<Candidate>(Candidates, shards.With(new { lower = window.Lower, upper = window.Upper }), cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var mined = candidates
            .Where(c => !MiningText.SameIgnoringWhitespace(c.ChosenResponse, c.RejectedResponse))
            .Select(c =>
            {
                Guid[] lineage = [c.ChoiceEventId, c.ChosenTurnEventId, c.RejectedTurnEventId];
                return PreferencePair.Mined(PairSources.Choice, lineage, c.Project, c.Request,
                    chosen: c.ChosenResponse, rejected: c.RejectedResponse, Confidence, c.TurnId, c.Model, c.ModelVersion, c.UserId, now);
            })
            .ToList();
        // A choice is read again when any turn it shows is re-derived (a late alternative, a reaction on the chosen
        // turn); its pairs already stored are left out, not written again with a new created_at.
        var pairs = await StoredPairs.InsertNewAsync(store, mined, cancellationToken).ConfigureAwait(false);
        await marks.AdvanceAsync(Source, window.Upper, shards, cancellationToken).ConfigureAwait(false);
        return pairs.Count;
    }

    private sealed record Candidate(
        Guid ChoiceEventId, string Project, string UserId, Guid ChosenTurnEventId, string TurnId,
        IReadOnlyList<RequestMessage> Request, string ChosenResponse, string Model, string ModelVersion,
        Guid RejectedTurnEventId, string RejectedResponse);
}
