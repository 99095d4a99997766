using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Regenerate, then a positive signal on the new answer → pair: chosen = the new answer, rejected = the replaced
/// one, for the replaced turn's request. A positive signal is a thumb up, an emoji of <see cref="PositiveEmoji"/>,
/// a rating of at least 0.8 of its scale, or a copy of the new answer. A regenerate whose new answer has a
/// negative reaction (thumb down, an emoji of <see cref="NegativeEmoji"/>, a rating of at most 0.4 of its scale)
/// is skipped. The join runs in ClickHouse; regenerates already mined are left out there.
/// </summary>
public sealed class RegeneratePairMiner(IClickHouse store, TimeProvider clock)
{
    /// <summary>Trust when the new answer got an explicit approval (thumb, emoji, rating): the user asked again and liked it.</summary>
    public const float Confidence = 0.75f;

    /// <summary>Trust when the only approval is a copy: copying usually means use, but people also copy to quote or complain.</summary>
    public const float CopyConfidence = 0.6f;

    /// <summary>The emoji table's positive emoji (<see cref="TurnSignalRules.EmojiPolarities"/>), as every miner reads them.</summary>
    public static readonly IReadOnlyList<string> PositiveEmoji = TurnSignalRules.EmojiOf(1);

    public static readonly IReadOnlyList<string> NegativeEmoji = TurnSignalRules.EmojiOf(-1);

    private const string Candidates = $$"""
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
        FROM (SELECT * FROM events FINAL WHERE kind = 'regenerate' AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}) AS r
        -- Only the turns a regenerate replaced or produced are read and joined.
        INNER JOIN (SELECT * FROM events FINAL WHERE kind = 'turn'
                    AND (project, turn_id) IN (SELECT project, turn_id FROM events WHERE kind = 'regenerate')) AS old_turn
            ON old_turn.project = r.project AND old_turn.turn_id = r.turn_id
        INNER JOIN (SELECT * FROM events FINAL WHERE kind = 'turn'
                    AND (project, turn_id) IN (SELECT project, new_turn_id FROM events WHERE kind = 'regenerate')) AS new_turn
            ON new_turn.project = r.project AND new_turn.turn_id = r.new_turn_id
        INNER JOIN
        (
            SELECT * FROM events FINAL
            WHERE kind = 'copy'
                OR (kind = 'reaction' AND (thumb = 'up' OR has({positive:Array(String)}, {{MiningText.BareEmojiSql}})
                    OR (ifNull(rating_scale, 0) > 0 AND ifNull(rating, 0) >= 0.8 * rating_scale)))
        ) AS s
            ON s.project = r.project AND s.turn_id = r.new_turn_id
        WHERE r.event_id NOT IN (SELECT arrayJoin(source_event_ids) FROM pairs FINAL WHERE source = 'regenerate')
            AND (r.project, r.new_turn_id) NOT IN
            (
                SELECT project, turn_id FROM events FINAL
                WHERE kind = 'reaction' AND (thumb = 'down' OR has({negative:Array(String)}, {{MiningText.BareEmojiSql}})
                    OR (ifNull(rating_scale, 0) > 0 AND ifNull(rating, 0) <= 0.4 * rating_scale))
            )
        ORDER BY r.event_id, s.kind = 'copy', s.timestamp, s.event_id, old_turn.received_at, new_turn.received_at
        LIMIT 1 BY r.event_id
        """;

    public Task<int> MineAsync(CancellationToken cancellationToken = default) => MineAsync(MiningShards.All, cancellationToken);

    /// <summary>Mines the new regenerates of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> MineAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var candidates = await store.QueryAsync<Candidate>(Candidates, shards.With(new { positive = PositiveEmoji, negative = NegativeEmoji }), cancellationToken)
            .ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var pairs = candidates
            .Where(c => !MiningText.SameIgnoringWhitespace(c.NewResponse, c.OldResponse))
            .Select(c =>
            {
                Guid[] lineage = [c.RegenerateEventId, c.OldTurnEventId, c.NewTurnEventId, c.SignalEventId];
                var confidence = c.SignalKind == EventKinds.Copy ? CopyConfidence : Confidence;
                return PreferencePair.Mined(PairSources.Regenerate, lineage, c.Project, c.Request,
                    chosen: c.NewResponse, rejected: c.OldResponse, confidence, c.TurnId, c.Model, c.ModelVersion, c.UserId, now);
            })
            .ToList();
        await store.InsertAsync("pairs", pairs, cancellationToken).ConfigureAwait(false);
        return pairs.Count;
    }

    private sealed record Candidate(
        Guid RegenerateEventId, string Project, string UserId, Guid OldTurnEventId, string TurnId,
        IReadOnlyList<RequestMessage> Request, string OldResponse, string Model, string ModelVersion,
        Guid NewTurnEventId, string NewResponse, Guid SignalEventId, string SignalKind);
}
