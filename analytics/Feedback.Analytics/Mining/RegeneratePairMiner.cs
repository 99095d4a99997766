using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Regenerate, then a positive signal on the new answer → pair: chosen = the new answer, rejected = the replaced
/// one, for the replaced turn's request. A positive signal is a thumb up, an emoji of <see cref="PositiveEmoji"/>,
/// a rating of at least 0.8 of its scale, or a copy of the new answer. A regenerate whose new answer has a
/// negative reaction (thumb down, an emoji of <see cref="NegativeEmoji"/>, a rating of at most 0.4 of its scale)
/// is skipped. The join runs in ClickHouse.
/// <para>
/// Incremental like <see cref="ChoicePairMiner"/> (<see cref="MiningMarks"/>), so it runs after
/// <see cref="TurnSignalsJob"/>: a regenerate re-derives the replaced turn's signals, an approval the new turn's,
/// and a turn that arrives late gets its first signals row then. So a run reads only the regenerates whose replaced
/// or new turn was derived since the last run, and only the turns and signals those regenerates name. A regenerate
/// already mined is left out by a lookup of its pair's id (<see cref="StoredPairs"/>), for each approval it has: the
/// first approval picks the lineage, and a later one (a thumb after a copy) must not make a second pair.
/// </para>
/// </summary>
public sealed class RegeneratePairMiner(IClickHouse store, TimeProvider clock) : IPairMiner
{
    public string Source => PairSources.Regenerate;

    /// <summary>Trust when the new answer got an explicit approval (thumb, emoji, rating): the user asked again and liked it.</summary>
    public const float Confidence = 0.75f;

    /// <summary>Trust when the only approval is a copy: copying usually means use, but people also copy to quote or complain.</summary>
    public const float CopyConfidence = 0.6f;

    /// <summary>The emoji table's positive emoji (<see cref="TurnSignalRules.EmojiPolarities"/>), as every miner reads them.</summary>
    public static readonly IReadOnlyList<string> PositiveEmoji = TurnSignalRules.EmojiOf(1);

    public static readonly IReadOnlyList<string> NegativeEmoji = TurnSignalRules.EmojiOf(-1);

    // One row per regenerate and approval of its new answer, the preferred approval first (explicit before a copy,
    // then the earliest).
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
            named AS
            (
                -- The regenerates that name a touched turn, replaced or new, in its conversation (both turns are in the
                -- regenerate's), so only the conversations' granules are read (the events' key: 0024). No FINAL: a
                -- re-delivered copy names the same turns.
                SELECT DISTINCT project, conversation_id, turn_id, event_id
                FROM events
                WHERE kind = 'regenerate' AND (project, conversation_id) IN (SELECT project, conversation_id FROM touched)
                    AND ((project, turn_id) IN (SELECT project, turn_id FROM touched) OR (project, new_turn_id) IN (SELECT project, turn_id FROM touched))
            ),
            r AS MATERIALIZED
            (
                -- Read by the events' whole sorting key (project, conversation_id, turn_id, event_id: 0024).
                SELECT event_id, project, conversation_id, user_id, turn_id, new_turn_id
                FROM events FINAL
                WHERE kind = 'regenerate' AND (project, conversation_id, turn_id, event_id) IN named
            )
        SELECT
            r.event_id AS regenerate_event_id,
            r.project AS project,
            r.user_id AS user_id,
            old_turn.event_id AS old_turn_event_id,
            old_turn.turn_id AS turn_id,
            old_turn.request AS request,
            old_turn.response AS old_response,
            old_turn.model AS model,
            old_turn.model_version AS model_version,
            new_turn.event_id AS new_turn_event_id,
            new_turn.response AS new_response,
            s.event_id AS signal_event_id,
            s.kind AS signal_kind
        FROM r
        -- Only the turns those regenerates replaced or produced are read and joined.
        INNER JOIN (SELECT event_id, project, turn_id, received_at, request, response, model, model_version FROM events FINAL
                    WHERE kind = 'turn' AND (project, conversation_id, turn_id) IN (SELECT project, conversation_id, turn_id FROM r)) AS old_turn
            ON old_turn.project = r.project AND old_turn.turn_id = r.turn_id
        INNER JOIN (SELECT event_id, project, turn_id, received_at, response FROM events FINAL
                    WHERE kind = 'turn' AND (project, conversation_id, turn_id) IN (SELECT project, conversation_id, new_turn_id FROM r)) AS new_turn
            ON new_turn.project = r.project AND new_turn.turn_id = r.new_turn_id
        INNER JOIN
        (
            SELECT event_id, project, turn_id, kind, timestamp FROM events FINAL
            WHERE (project, conversation_id, turn_id) IN (SELECT project, conversation_id, new_turn_id FROM r)
                AND (kind = 'copy'
                    OR (kind = 'reaction' AND (thumb = 'up' OR has({positive:Array(String)}, replaceRegexpAll(emoji, '^\\s+|\\s+$|[\\x{FE0F}\\x{1F3FB}-\\x{1F3FF}]', ''))
                        OR (ifNull(rating_scale, 0) > 0 AND ifNull(rating, 0) >= 0.8 * rating_scale))))
        ) AS s
            ON s.project = r.project AND s.turn_id = r.new_turn_id
        WHERE (r.project, r.new_turn_id) NOT IN
            (
                SELECT project, turn_id FROM events FINAL
                WHERE (project, conversation_id, turn_id) IN (SELECT project, conversation_id, new_turn_id FROM r)
                    AND kind = 'reaction' AND (thumb = 'down' OR has({negative:Array(String)}, replaceRegexpAll(emoji, '^\\s+|\\s+$|[\\x{FE0F}\\x{1F3FB}-\\x{1F3FF}]', ''))
                        OR (ifNull(rating_scale, 0) > 0 AND ifNull(rating, 0) <= 0.4 * rating_scale))
            )
        ORDER BY r.event_id, s.kind = 'copy', s.timestamp, s.event_id, old_turn.received_at, new_turn.received_at
        LIMIT 1 BY r.event_id, s.event_id
        """;

    public Task<int> MineAsync(CancellationToken cancellationToken = default) => MineAsync(MiningShards.All, cancellationToken);

    /// <summary>Mines the new regenerates of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> MineAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var marks = new MiningMarks(store, clock);
        var window = await marks.WindowAsync(Source, shards, cancellationToken).ConfigureAwait(false);
        var candidates = await store.QueryAsync<Candidate>(Candidates,
            shards.With(new { lower = window.Lower, upper = window.Upper, positive = PositiveEmoji, negative = NegativeEmoji }), cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        // Every lineage a regenerate could have been mined with: one per approval of its new answer.
        var lineages = candidates
            .Where(c => !MiningText.SameIgnoringWhitespace(c.NewResponse, c.OldResponse))
            .Select(c =>
            {
                Guid[] lineage = [c.RegenerateEventId, c.OldTurnEventId, c.NewTurnEventId, c.SignalEventId];
                var confidence = c.SignalKind == EventKinds.Copy ? CopyConfidence : Confidence;
                return (c.RegenerateEventId, Pair: PreferencePair.Mined(PairSources.Regenerate, lineage, c.Project, c.Request,
                    chosen: c.NewResponse, rejected: c.OldResponse, confidence, c.TurnId, c.Model, c.ModelVersion, c.UserId, now));
            })
            .ToList();
        // A regenerate is read again whenever either of its turns is re-derived; it is mined already if a pair of any
        // of its lineages is stored (a later approval must not add a second pair), else its first lineage is mined.
        var stored = await StoredPairs.IdsAsync(store, lineages.Select(l => l.Pair).ToList(), cancellationToken).ConfigureAwait(false);
        var pairs = lineages
            .GroupBy(l => l.RegenerateEventId)
            .Where(g => !g.Any(l => stored.Contains(l.Pair.PairId)))
            .Select(g => g.First().Pair)
            .ToList();
        foreach (var chunk in pairs.Chunk(10_000))
            await store.InsertAsync("pairs", chunk, cancellationToken).ConfigureAwait(false);
        await marks.AdvanceAsync(Source, window.Upper, shards, cancellationToken).ConfigureAwait(false);
        return pairs.Count;
    }

    private sealed record Candidate(
        Guid RegenerateEventId, string Project, string UserId, Guid OldTurnEventId, string TurnId,
        IReadOnlyList<RequestMessage> Request, string OldResponse, string Model, string ModelVersion,
        Guid NewTurnEventId, string NewResponse, Guid SignalEventId, string SignalKind);
}
