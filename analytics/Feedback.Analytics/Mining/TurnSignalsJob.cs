using Feedback.Analytics.Store;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Derives each turn's feedback signals (docs/mining.md, "Signals per turn") into <c>turn_signals</c>, in two steps:
/// <see cref="TextSignalsJob"/> reads the texts C# must read (follow-ups for the classifier, edits for the edit
/// distance) into <c>text_signals</c>; then one INSERT … SELECT counts and nets each turn's events in ClickHouse and
/// joins those rows, so whole turns never travel to C# and back.
/// Incremental: a run re-derives only the turns that have events received after their project's mark
/// (<see cref="SignalsMarks"/>), minus <see cref="Lookback"/> for events loaded late, every pending project in one statement.
/// Re-deriving a turn replaces its row, so the overlap is harmless; a turn whose number of events has not changed
/// since its row was written is skipped. A choice event is about every alternative it shows.
/// </summary>
public sealed class TurnSignalsJob(IClickHouse store, TimeProvider clock)
{
    /// <summary>Events received up to this long before the project's mark are looked at again (late loads, clock skew).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromMinutes(10);

    // Every pending project at once (SignalsMarks.Bounds): (project, conversation_id, turn_id) of every turn with an event
    // received after its project's mark minus the lookback. The stalest bound is a constant, so that the minmax index on
    // received_at (0024) skips the granules that arrived before it, and the set of projects lets the key skip the other
    // projects. One statement, not one per project: in a store of many projects each cost a few hundred ms. No FINAL: a re-delivered copy only
    // touches its turn again. Evaluation events are an evaluator's, not the user's: they neither touch a turn here nor
    // count below, so scoring every turn re-derives none.
    private const string Derive = """
        INSERT INTO turn_signals (project, turn_id, conversation_id, user_id, model, model_version, turn_timestamp,
            prompt_template, stage, metadata, reaction_polarity, thumbs_up, thumbs_down, emoji_polarity, rating_normalized,
            edited, edit_distance_ratio, regenerated, chosen, not_chosen, copied, follow_up_label, follow_up_confidence,
            follow_up_source, event_count, events_received_at, derived_at)
        WITH pending AS (SELECT arrayJoin({projects:Array(String)})), -- a set the key can use, unlike an array
        relabelled AS MATERIALIZED
        (
            -- Turns with a follow-up labelled by a person or the app's LLM (follow_up_reviews, 0025) since the turn's
            -- signals were derived: their events have not changed, but their label has.
            SELECT r.project AS project, r.conversation_id AS conversation_id, r.turn_id AS turn_id
            FROM follow_up_reviews AS r
            LEFT JOIN
            (
                SELECT project, turn_id, max(derived_at) AS derived_at FROM turn_signals
                WHERE project IN pending AND (project, turn_id) IN (SELECT project, turn_id FROM follow_up_reviews WHERE project IN pending)
                GROUP BY project, turn_id
            ) AS s ON s.project = r.project AND s.turn_id = r.turn_id
            WHERE r.project IN pending AND r.labelled_at > ifNull(s.derived_at, toDateTime64(0, 3, 'UTC'))
            UNION DISTINCT
            -- Turns with a follow-up labelled again by the project's own model (feedback train --project, 0026) since
            -- the turn's signals were derived. Only adapted projects have such rows, so no other project's are read.
            SELECT s.project, s.conversation_id, s.turn_id
            FROM
            (
                SELECT project, turn_id, max(derived_at) AS derived_at FROM text_signals
                WHERE project IN pending AND project IN (SELECT project FROM follow_up_models)
                    AND kind = 'follow_up' AND follow_up_model != ''
                GROUP BY project, turn_id
            ) AS x
            INNER JOIN
            (
                SELECT project, turn_id, any(conversation_id) AS conversation_id, max(derived_at) AS derived_at FROM turn_signals
                WHERE project IN pending AND project IN (SELECT project FROM follow_up_models)
                GROUP BY project, turn_id
            ) AS s ON s.project = x.project AND s.turn_id = x.turn_id
            WHERE x.derived_at > s.derived_at
        ),
        touched AS MATERIALIZED
        (
            SELECT DISTINCT e.project AS project, e.conversation_id AS conversation_id, about AS turn_id
            FROM events AS e
            ARRAY JOIN arrayDistinct(arrayConcat([e.turn_id], if(e.kind = 'choice', e.alternative_turn_ids, []))) AS about
            WHERE e.project IN pending AND e.received_at > {stalest:DateTime64(3, 'UTC')}
                AND e.received_at > {sinces:Array(DateTime64(3, 'UTC'))}[indexOf({projects:Array(String)}, e.project)] AND e.kind != 'evaluation'
            UNION DISTINCT
            SELECT project, conversation_id, turn_id FROM relabelled
        )
        SELECT
            t.project, t.turn_id, t.turn_conversation_id, t.user_id, t.model, t.model_version, t.turn_timestamp,
            t.prompt_template, t.stage, t.metadata,
            toInt8(sign(toInt64(t.thumbs_up) - toInt64(t.thumbs_down) + t.emoji_sum
                + if(t.ratings > 0, sign(t.rating_sum / t.ratings - 0.5) * toInt64(t.ratings), 0))),
            t.thumbs_up, t.thumbs_down, toInt8(sign(t.emoji_sum)),
            if(t.ratings > 0, t.rating_sum / t.ratings, NULL),
            ifNull(x.edited, 0), x.edit_distance_ratio,
            t.regenerates > 0, t.chosen, t.not_chosen, t.copies > 0,
            ifNull(x.follow_up.1, ''), x.follow_up.2, if(ifNull(x.follow_up.1, '') = '', '', ifNull(x.follow_up.3, '')),
            t.event_count, t.events_received_at, {now:DateTime64(3, 'UTC')}
        FROM
        (
            SELECT
                project,
                about AS turn_id,
                anyIf(conversation_id, kind = 'turn') AS turn_conversation_id, -- not conversation_id, which WHERE reads
                anyIf(user_id, kind = 'turn') AS user_id,
                anyIf(model, kind = 'turn') AS model,
                anyIf(model_version, kind = 'turn') AS model_version,
                minIf(timestamp, kind = 'turn') AS turn_timestamp,
                anyIf(prompt_template, kind = 'turn') AS prompt_template,
                anyIf(stage, kind = 'turn') AS stage,
                anyIf(metadata, kind = 'turn') AS metadata,
                countIf(kind = 'reaction' AND thumb = 'up') AS thumbs_up,
                countIf(kind = 'reaction' AND thumb = 'down') AS thumbs_down,
                sumIf(toInt64(transform(replaceRegexpAll(emoji, '^\\s+|\\s+$|[\\x{FE0F}\\x{1F3FB}-\\x{1F3FF}]', ''), {emoji:Array(String)}, {emoji_polarity:Array(Int8)}, toInt8(0))),
                    kind = 'reaction' AND emoji != '') AS emoji_sum,
                countIf(kind = 'reaction' AND rating IS NOT NULL AND rating_scale > 0) AS ratings,
                sumIf(ifNull(rating, 0) / ifNull(rating_scale, 1), kind = 'reaction' AND rating IS NOT NULL AND rating_scale > 0) AS rating_sum,
                countIf(kind = 'regenerate') AS regenerates,
                countIf(kind = 'choice' AND chosen_turn_id = about) AS chosen,
                countIf(kind = 'choice' AND chosen_turn_id != about AND has(alternative_turn_ids, about)) AS not_chosen,
                countIf(kind = 'copy') AS copies,
                count() AS event_count,
                max(received_at) AS events_received_at
            FROM events FINAL
            ARRAY JOIN arrayDistinct(arrayConcat([turn_id], if(kind = 'choice', alternative_turn_ids, []))) AS about
            -- The touched conversations are ranges of the events' key (0024), so only their granules are read: the events
            -- about a turn carry its conversation_id (docs/events.md), a choice's alternatives too.
            WHERE (project, conversation_id) IN (SELECT project, conversation_id FROM touched)
                AND (project, about) IN (SELECT project, turn_id FROM touched) AND kind != 'evaluation'
            GROUP BY project, about
            HAVING countIf(kind = 'turn') > 0
                AND ((project, turn_id, event_count) NOT IN
                        (SELECT project, turn_id, event_count FROM turn_signals FINAL WHERE (project, turn_id) IN (SELECT project, turn_id FROM touched))
                    OR (project, turn_id) IN (SELECT project, turn_id FROM relabelled))
        ) AS t
        LEFT JOIN
        (
            -- The first follow-up's label; the farthest real edit. Of the touched turns only, so that an incremental run
            -- holds only its own turns in the join (at 1M turns this costs 0.7 s of a full run).
            -- A person's label outranks the app's LLM's, which outranks the classifier's (a review of 'skip' keeps it).
            SELECT ts.project AS project, ts.turn_id AS turn_id,
                argMinIf((if(o.overridden = 1, o.best.1, ts.follow_up_label), if(o.overridden = 1, o.best.2, ts.follow_up_confidence),
                    if(o.overridden = 1, o.best.3, 'model')), ts.event_timestamp, ts.kind = 'follow_up') AS follow_up,
                max(ts.real_edit) AS edited,
                maxIf(ts.edit_distance_ratio, ts.real_edit = 1) AS edit_distance_ratio
            FROM text_signals AS ts FINAL
            LEFT JOIN
            (
                -- overridden is NULL where no row matched (join_use_nulls); a tuple cannot be NULL
                SELECT project, event_id, toUInt8(1) AS overridden, argMax((label, confidence, source), (source = 'review', labelled_at)) AS best
                FROM follow_up_reviews FINAL
                WHERE label != 'skip' AND (project, turn_id) IN (SELECT project, turn_id FROM touched)
                GROUP BY project, event_id
            ) AS o ON o.project = ts.project AND o.event_id = ts.event_id
            WHERE (ts.project, ts.turn_id) IN (SELECT project, turn_id FROM touched)
            GROUP BY ts.project, ts.turn_id
        ) AS x ON x.project = t.project AND x.turn_id = t.turn_id
        """;

    private readonly TextSignalsJob texts = new(store, clock);
    private readonly SignalsMarks marks = new(store, clock);

    /// <summary>Re-derives the turns with new events; returns how many turns were written.</summary>
    public Task<int> DeriveAsync(CancellationToken cancellationToken = default) => DeriveAsync(MiningShards.All, cancellationToken);

    /// <summary>Re-derives the turns with new events of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> DeriveAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var pending = await marks.PendingAsync(shards, cancellationToken).ConfigureAwait(false);
        await texts.DeriveAsync(shards, pending, cancellationToken).ConfigureAwait(false);
        return await DeriveTurnsAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first step of <see cref="DeriveAsync(MiningShards, CancellationToken)"/> alone: reads the follow-ups and
    /// edits not read yet into <c>text_signals</c> (<see cref="TextSignalsJob"/>); returns how many were read. The
    /// mining run labels follow-ups with the app's LLM between the two steps, so those labels feed the same run.
    /// </summary>
    public Task<int> ReadTextsAsync(MiningShards shards, CancellationToken cancellationToken = default) => texts.DeriveAsync(shards, cancellationToken);

    /// <summary>
    /// The second step alone: derives the turns with new events (or newly relabelled follow-ups) from the texts read. It
    /// finds the pending projects again, as the app's LLM may have relabelled follow-ups since the first step.
    /// </summary>
    public async Task<int> DeriveTurnsAsync(MiningShards shards, CancellationToken cancellationToken = default) =>
        await DeriveTurnsAsync(await marks.PendingAsync(shards, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<int> DeriveTurnsAsync(IReadOnlyList<ProjectSignalsWindow> pending, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (pending.Count > 0)
        {
            await store.ExecuteAsync(Derive, SignalsMarks.Bounds(pending, new
            {
                emoji = TurnSignalRules.EmojiPolarities.Keys,
                emoji_polarity = TurnSignalRules.EmojiPolarities.Values,
                now,
            }), cancellationToken).ConfigureAwait(false);
        }
        await marks.AdvanceAsync(pending, cancellationToken).ConfigureAwait(false);
        // ClickHouse does not return the count of an INSERT; every row it wrote carries the run's time (found by the
        // minmax index on derived_at, 0027).
        return (await store.QueryAsync<Written>("SELECT count() AS rows FROM turn_signals WHERE derived_at = {now:DateTime64(3, 'UTC')}",
            new { now }, cancellationToken).ConfigureAwait(false))[0].Rows;
    }

    private sealed record Written(int Rows);
}
