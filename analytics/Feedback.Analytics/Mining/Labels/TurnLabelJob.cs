using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining.Labels;

/// <summary>
/// Labels every turn that has a feedback signal (<see cref="LabelRules"/>) into <c>turn_labels</c>, with the
/// turn's request and answer and the ids of the events that voted, in one INSERT … SELECT. Runs after
/// <see cref="TurnSignalsJob"/>: it takes the turns whose signals were derived since the project's newest label
/// (minus the same lookback), and skips those already labelled from exactly that signals row. A relabelled turn
/// keeps its export position (created_at) unless its label or lineage changed.
/// </summary>
public sealed class TurnLabelJob(IClickHouse store, TimeProvider clock)
{
    private static readonly string Label = $$"""
        INSERT INTO turn_labels (project, turn_id, label_id, label, confidence, source, signals, prompt, completion, source_event_ids,
            model, model_version, user_id, signals_derived_at, created_at, labelled_at)
        WITH
        (
            SELECT CAST((groupArray(project), groupArray(mark)), 'Map(String, DateTime64(3, \'UTC\'))')
            FROM (SELECT project, max(signals_derived_at) AS mark FROM turn_labels GROUP BY project)
        ) AS marks, -- a project without labels yet gets the map's default, 1970
        candidates AS
        (
            SELECT project, turn_id
            FROM turn_signals
            WHERE derived_at > marks[project] - toIntervalSecond({lookback_seconds:UInt32})
        )
        SELECT project, turn_id, label_id, label, confidence, source, signals, request, response, lineage,
            model, model_version, user_id, derived_at,
            if(old.old_label_id = label_id AND old.old_label = label, old.old_created_at, {now:DateTime64(3, 'UTC')}),
            {now:DateTime64(3, 'UTC')}
        FROM
        (
            SELECT s.project AS project, s.turn_id AS turn_id, s.model AS model, s.model_version AS model_version, s.user_id AS user_id,
                s.derived_at AS derived_at, e.request AS request, e.response AS response,
                {{LabelRules.VotesSql}} AS votes,
                arrayExists(v -> v.3 > 0, votes) AS positive,
                arrayExists(v -> v.3 < 0, votes) AS negative,
                toInt8(if(empty(votes) OR (positive AND negative), 0, if(positive, 1, -1))) AS label,
                arrayFirst(v -> v.4 = arrayMax(w -> w.4, votes), votes) AS strongest,
                if(label = 0, toFloat32(0), strongest.4) AS confidence,
                if(label = 0, '', strongest.2) AS source,
                arrayMap(v -> v.1, votes) AS signals,
                arrayMap(v -> v.2, votes) AS evidence,
                -- the turn event, then the events of each kind of evidence that voted
                arrayConcat([e.turn_event_id],
                    if(has(evidence, 'reaction'), e.reaction_ids, []), if(has(evidence, 'edit'), e.edit_ids, []),
                    if(has(evidence, 'regenerate'), e.regenerate_ids, []), if(has(evidence, 'copy'), e.copy_ids, []),
                    if(has(evidence, 'follow_up'), e.follow_up_ids, [])) AS lineage,
                {{PreferencePair.IdSql("'label'", "lineage")}} AS label_id
            FROM
            (
                SELECT * FROM turn_signals FINAL
                WHERE (project, turn_id) IN candidates
                    AND (thumbs_up + thumbs_down > 0 OR emoji_polarity != 0 OR rating_normalized IS NOT NULL OR edited = 1
                        OR regenerated = 1 OR copied = 1 OR follow_up_label != '')
                    AND (project, turn_id, derived_at) NOT IN (SELECT project, turn_id, signals_derived_at FROM turn_labels FINAL)
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
                WHERE (project, turn_id) IN candidates
                GROUP BY project, turn_id
                HAVING countIf(kind = 'turn') > 0
            ) AS e ON e.project = s.project AND e.turn_id = s.turn_id
        ) AS l
        LEFT JOIN
        (
            SELECT project, turn_id, label_id AS old_label_id, label AS old_label, created_at AS old_created_at
            FROM turn_labels FINAL
            WHERE (project, turn_id) IN candidates
        ) AS old ON old.project = l.project AND old.turn_id = l.turn_id
        """;

    /// <summary>Labels the turns with new signals; returns how many turns were (re)labelled.</summary>
    public async Task<int> LabelAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var parameters = new Dictionary<string, object?>(LabelRules.Parameters)
        {
            ["lookback_seconds"] = (uint)TurnSignalsJob.Lookback.TotalSeconds,
            ["now"] = now,
        };
        await store.ExecuteAsync(Label, parameters, cancellationToken).ConfigureAwait(false);
        return await WrittenRows.CountAsync(store, "turn_labels", "labelled_at", now, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>One row of <c>turn_labels</c> (Schema/Migrations/0010): a turn's unpaired label with its lineage.</summary>
public sealed record TurnLabel(
    string Project, string TurnId, Guid LabelId, sbyte Label, float Confidence, string Source, IReadOnlyList<string> Signals,
    IReadOnlyList<RequestMessage> Prompt, string Completion, IReadOnlyList<Guid> SourceEventIds,
    string Model, string ModelVersion, string UserId, DateTimeOffset SignalsDerivedAt, DateTimeOffset CreatedAt, DateTimeOffset LabelledAt);
