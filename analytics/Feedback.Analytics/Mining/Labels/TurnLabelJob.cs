using Feedback.Analytics.Store;

namespace Feedback.Analytics.Mining.Labels;

/// <summary>
/// Labels every turn that has a feedback signal (<see cref="LabelRules"/>) into <c>turn_labels</c>, with the
/// turn's request and answer and the ids of the events that voted, in one INSERT … SELECT. Runs after
/// <see cref="TurnSignalsJob"/>: it takes the turns whose signals were derived since its last run (<see cref="MiningMarks"/>),
/// and skips those already labelled from exactly that signals row. A relabelled turn
/// keeps its export position (created_at) unless its label or lineage changed.
/// </summary>
public sealed class TurnLabelJob(IClickHouse store, TimeProvider clock)
{
    /// <summary>The job's name in <c>mining_marks</c>.</summary>
    public const string Miner = "labels";

    private const string Label = """
        INSERT INTO turn_labels (project, turn_id, label_id, label, confidence, source, signals, prompt, completion, source_event_ids,
            model, model_version, user_id, signals_derived_at, reviewed, created_at, labelled_at)
        WITH candidates AS MATERIALIZED
        (
            -- Constant bounds (MiningMarks), so that the index on derived_at (0027) skips what was labelled before.
            SELECT project, conversation_id, turn_id
            FROM turn_signals
            WHERE derived_at > {lower:DateTime64(3, 'UTC')} AND derived_at <= {upper:DateTime64(3, 'UTC')}
                AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
        )
        SELECT project, turn_id, label_id, label, confidence, source, signals, request, response, lineage,
            model, model_version, user_id, derived_at, reviewed,
            -- a label that changed, or that a person has now reviewed, is delivered again (docs/export.md)
            if(old.old_label_id = label_id AND old.old_label = label AND old.old_reviewed = reviewed, old.old_created_at, {now:DateTime64(3, 'UTC')}),
            {now:DateTime64(3, 'UTC')}
        FROM
        (
            SELECT s.project AS project, s.turn_id AS turn_id, s.model AS model, s.model_version AS model_version, s.user_id AS user_id,
                s.derived_at AS derived_at, e.request AS request, e.response AS response,
                -- the votes of LabelRules, in its order: (signal, evidence, polarity, confidence)
                arrayFilter(v -> v.1 != '', [
                    if(thumbs_up > 0, ('thumb_up', 'reaction', toInt8(1), {thumb_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
                    if(thumbs_down > 0, ('thumb_down', 'reaction', toInt8(-1), {thumb_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
                    if(ifNull(rating_normalized >= {high_rating:Float64}, 0), ('rating_high', 'reaction', toInt8(1), {rating_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
                    if(ifNull(rating_normalized <= {low_rating:Float64}, 0), ('rating_low', 'reaction', toInt8(-1), {rating_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
                    if(emoji_polarity != 0, (if(emoji_polarity > 0, 'emoji_positive', 'emoji_negative'), 'reaction', toInt8(sign(emoji_polarity)), {emoji_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
                    if(edited = 1 AND ifNull(edit_distance_ratio >= {heavy_edit:Float64}, 0), ('heavy_edit', 'edit', toInt8(-1), {heavy_edit_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
                    if(regenerated = 1, ('regenerate', 'regenerate', toInt8(-1), {regenerate_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
                    if(copied = 1, ('copy', 'copy', toInt8(1), {copy_confidence:Float32}), ('', '', toInt8(0), toFloat32(0))),
                    -- a follow-up votes with the classifier's probability; clarification and none say nothing about good or bad
                    if(ifNull(follow_up_confidence >= {min_follow_up_confidence:Float32}, 0) AND follow_up_label IN ('positive', 'complaint', 'correction', 'rephrase'),
                        (concat('follow_up_', follow_up_label), 'follow_up', toInt8(if(follow_up_label = 'positive', 1, -1)),
                            toFloat32(if(follow_up_label = 'rephrase', {rephrase_weight:Float32}, {follow_up_weight:Float32}) * ifNull(follow_up_confidence, 0))),
                        ('', '', toInt8(0), toFloat32(0)))
                ]) AS votes,
                arrayExists(v -> v.3 > 0, votes) AS positive,
                arrayExists(v -> v.3 < 0, votes) AS negative,
                toInt8(if(empty(votes) OR (positive AND negative), 0, if(positive, 1, -1))) AS label,
                arrayFirst(v -> v.4 = arrayMax(w -> w.4, votes), votes) AS strongest,
                if(label = 0, toFloat32(0), strongest.4) AS confidence,
                if(label = 0, '', strongest.2) AS source,
                arrayMap(v -> v.1, votes) AS signals,
                -- a person reviewed the follow-up that voted (follow_up_reviews, 0025)
                toUInt8(arrayExists(v -> v.2 = 'follow_up', votes) AND s.follow_up_source = 'review') AS reviewed,
                arrayMap(v -> v.2, votes) AS evidence,
                -- the turn event, then the events of each kind of evidence that voted
                arrayConcat([e.turn_event_id],
                    if(has(evidence, 'reaction'), e.reaction_ids, []), if(has(evidence, 'edit'), e.edit_ids, []),
                    if(has(evidence, 'regenerate'), e.regenerate_ids, []), if(has(evidence, 'copy'), e.copy_ids, []),
                    if(has(evidence, 'follow_up'), e.follow_up_ids, [])) AS lineage,
                -- PreferencePair.IdFor("label", lineage), in SQL (UUIDs print in the same lower-case form)
                toUUID(replaceRegexpOne(
                    concat(
                        substring(lower(hex(SHA256(concat('label', ':', arrayStringConcat(arrayMap(id -> toString(id), lineage), ','))) AS id_hash)), 1, 12),
                        '8',
                        substring(lower(hex(id_hash)), 14, 3),
                        substring('89ab', bitAnd(bitShiftRight(reinterpretAsUInt8(substring(id_hash, 9, 1)), 4), 3) + 1, 1),
                        substring(lower(hex(id_hash)), 18, 15)),
                    '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\1-\2-\3-\4-\5')) AS label_id
            FROM
            (
                SELECT * FROM turn_signals FINAL
                WHERE (project, turn_id) IN (SELECT project, turn_id FROM candidates)
                    AND (thumbs_up + thumbs_down > 0 OR emoji_polarity != 0 OR rating_normalized IS NOT NULL OR edited = 1
                        OR regenerated = 1 OR copied = 1 OR follow_up_label != '')
                    AND (project, turn_id, derived_at) NOT IN
                        (SELECT project, turn_id, signals_derived_at FROM turn_labels FINAL WHERE (project, turn_id) IN (SELECT project, turn_id FROM candidates))
            ) AS s
            INNER JOIN
            (
                SELECT project, turn_id,
                    argMinIf(event_id, received_at, kind = 'turn') AS turn_event_id,
                    argMinIf(request, received_at, kind = 'turn') AS request,
                    argMinIf(response, received_at, kind = 'turn') AS response,
                    arraySort(groupUniqArrayIf(event_id, kind = 'reaction')) AS reaction_ids,
                    arraySort(groupUniqArrayIf(event_id, kind = 'edit')) AS edit_ids,
                    arraySort(groupUniqArrayIf(event_id, kind = 'regenerate')) AS regenerate_ids,
                    arraySort(groupUniqArrayIf(event_id, kind = 'copy')) AS copy_ids,
                    -- the first follow-up, the one the classifier labelled
                    arraySlice(arrayMap(x -> x.2, arraySort(groupUniqArrayIf((timestamp, event_id), kind = 'follow_up'))), 1, 1) AS follow_up_ids
                -- No FINAL: every aggregate here gives the same answer with a re-delivered copy of an event (argMin, uniq).
                FROM events
                WHERE (project, conversation_id, turn_id) IN candidates -- the events' key prefix (0024)
                GROUP BY project, turn_id
                HAVING countIf(kind = 'turn') > 0
            ) AS e ON e.project = s.project AND e.turn_id = s.turn_id
        ) AS l
        LEFT JOIN
        (
            SELECT project, turn_id, label_id AS old_label_id, label AS old_label, reviewed AS old_reviewed, created_at AS old_created_at
            FROM turn_labels FINAL
            WHERE (project, turn_id) IN (SELECT project, turn_id FROM candidates)
        ) AS old ON old.project = l.project AND old.turn_id = l.turn_id
        """;

    /// <summary>Labels the turns with new signals; returns how many turns were (re)labelled.</summary>
    public Task<int> LabelAsync(CancellationToken cancellationToken = default) => LabelAsync(MiningShards.All, cancellationToken);

    /// <summary>Labels the turns with new signals of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> LabelAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var marks = new MiningMarks(store, clock);
        var window = await marks.WindowAsync(Miner, shards, cancellationToken).ConfigureAwait(false);
        var parameters = shards.With(new Dictionary<string, object?>(LabelRules.Parameters)
        {
            ["lower"] = window.Lower,
            ["upper"] = window.Upper,
            ["now"] = now,
        });
        await store.ExecuteAsync(Label, parameters, cancellationToken).ConfigureAwait(false);
        await marks.AdvanceAsync(Miner, window.Upper, shards, cancellationToken).ConfigureAwait(false);
        // ClickHouse does not return the count of an INSERT; every row it wrote carries the run's time. Looked up by the
        // labels' key, the window's turns, not by a scan of labelled_at.
        return (await store.QueryAsync<Written>("""
            SELECT count() AS rows FROM turn_labels
            WHERE (project, turn_id) IN
                (SELECT project, turn_id FROM turn_signals
                 WHERE derived_at > {lower:DateTime64(3, 'UTC')} AND derived_at <= {upper:DateTime64(3, 'UTC')}
                    AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)})
                AND labelled_at = {now:DateTime64(3, 'UTC')}
            """, parameters, cancellationToken).ConfigureAwait(false))[0].Rows;
    }

    private sealed record Written(int Rows);
}
