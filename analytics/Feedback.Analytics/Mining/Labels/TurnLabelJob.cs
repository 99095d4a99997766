using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining.Labels;

/// <summary>
/// Labels every turn that has a feedback signal (<see cref="LabelRules"/>) into <c>turn_labels</c>, with the
/// turn's request and answer and the ids of the events that voted. Runs after <see cref="TurnSignalsJob"/>: it
/// takes the turns whose signals were derived since the project's newest label (minus the same lookback), and
/// skips those already labelled from exactly that signals row. A relabelled turn keeps its export position
/// (created_at) unless its label or lineage changed.
/// </summary>
public sealed class TurnLabelJob(IClickHouse store, TimeProvider clock)
{
    private const string Candidates = """
        WITH
        (
            SELECT CAST((groupArray(project), groupArray(mark)), 'Map(String, DateTime64(3, \'UTC\'))')
            FROM (SELECT project, max(signals_derived_at) AS mark FROM turn_labels FINAL GROUP BY project)
        ) AS marks, -- a project without labels yet gets the map's default, 1970
        candidates AS
        (
            SELECT *
            FROM turn_signals FINAL
            WHERE derived_at > marks[project] - toIntervalSecond({lookback_seconds:UInt32})
                AND (thumbs_up + thumbs_down > 0 OR emoji_polarity != 0 OR rating_normalized IS NOT NULL OR edited = 1
                    OR regenerated = 1 OR copied = 1 OR follow_up_label != '')
                AND (project, turn_id, derived_at) NOT IN (SELECT project, turn_id, signals_derived_at FROM turn_labels FINAL)
        )
        SELECT c.*, e.turn_event_id, e.request, e.response, e.reaction_ids, e.edit_ids, e.regenerate_ids, e.copy_ids, e.follow_up_ids,
            old.old_label_id, old.old_label, old.old_created_at
        FROM candidates AS c
        INNER JOIN
        (
            SELECT project AS e_project, turn_id AS e_turn_id,
                argMinIf(event_id, received_at, kind = 'turn') AS turn_event_id,
                argMinIf(request, received_at, kind = 'turn') AS request,
                argMinIf(response, received_at, kind = 'turn') AS response,
                arraySort(groupArrayIf(event_id, kind = 'reaction')) AS reaction_ids,
                arraySort(groupArrayIf(event_id, kind = 'edit')) AS edit_ids,
                arraySort(groupArrayIf(event_id, kind = 'regenerate')) AS regenerate_ids,
                arraySort(groupArrayIf(event_id, kind = 'copy')) AS copy_ids,
                -- the first follow-up, the one the classifier labelled
                arraySlice(arrayMap(x -> x.2, arraySort(groupArrayIf((timestamp, event_id), kind = 'follow_up'))), 1, 1) AS follow_up_ids
            FROM events FINAL
            WHERE (project, turn_id) IN (SELECT project, turn_id FROM candidates)
            GROUP BY project, turn_id
            HAVING countIf(kind = 'turn') > 0
        ) AS e ON e.e_project = c.project AND e.e_turn_id = c.turn_id
        LEFT JOIN
        (
            SELECT project AS old_project, turn_id AS old_turn_id, label_id AS old_label_id, label AS old_label, created_at AS old_created_at
            FROM turn_labels FINAL
        ) AS old ON old.old_project = c.project AND old.old_turn_id = c.turn_id
        ORDER BY c.project, c.turn_id
        """;

    /// <summary>Labels the turns with new signals; returns how many turns were (re)labelled.</summary>
    public async Task<int> LabelAsync(CancellationToken cancellationToken = default)
    {
        Console.WriteLine($"TIMING q {System.Diagnostics.Stopwatch.GetTimestamp() / 1e9:0.00}");
        var candidates = await store.QueryAsync<Candidate>(
            Candidates, new { lookback_seconds = (uint)TurnSignalsJob.Lookback.TotalSeconds }, cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0) return 0;
        Console.WriteLine($"TIMING queried {System.Diagnostics.Stopwatch.GetTimestamp() / 1e9:0.00}");
        var now = clock.GetUtcNow();
        var rows = candidates.Select(c => Label(c, now)).ToList();
        Console.WriteLine($"TIMING decided {System.Diagnostics.Stopwatch.GetTimestamp() / 1e9:0.00}");
        await store.InsertAsync("turn_labels", rows, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"TIMING inserted {System.Diagnostics.Stopwatch.GetTimestamp() / 1e9:0.00}");
        return rows.Count;
    }

    private static TurnLabel Label(Candidate c, DateTimeOffset now)
    {
        var s = c.Signals;
        var verdict = LabelRules.Decide(s);
        var evidence = new (string Source, IReadOnlyList<Guid> Ids)[]
        {
            (LabelSources.Reaction, c.ReactionIds), (LabelSources.Edit, c.EditIds), (LabelSources.Regenerate, c.RegenerateIds),
            (LabelSources.Copy, c.CopyIds), (LabelSources.FollowUp, c.FollowUpIds),
        };
        Guid[] lineage = [c.TurnEventId, .. evidence.Where(e => verdict.Evidence.Contains(e.Source)).SelectMany(e => e.Ids)];
        var id = PreferencePair.IdFor("label", lineage);
        // Same label from the same events: the row keeps its place in the export order, so it is not delivered again.
        var createdAt = c.OldLabelId == id && c.OldLabel == verdict.Label && c.OldCreatedAt is { } old ? old : now;
        return new TurnLabel(s.Project, s.TurnId, id, verdict.Label, verdict.Confidence, verdict.Source, verdict.Signals,
            c.Request, c.Response, lineage, s.Model, s.ModelVersion, s.UserId, s.DerivedAt, createdAt, LabelledAt: now);
    }

    private sealed record Candidate(
        string Project, string TurnId, string ConversationId, string UserId, string Model, string ModelVersion,
        DateTimeOffset TurnTimestamp, sbyte ReactionPolarity, long ThumbsUp, long ThumbsDown, sbyte EmojiPolarity,
        double? RatingNormalized, byte Edited, double? EditDistanceRatio, byte Regenerated, long Chosen, long NotChosen,
        byte Copied, string FollowUpLabel, float? FollowUpConfidence, long EventCount, DateTimeOffset EventsReceivedAt, DateTimeOffset DerivedAt,
        Guid TurnEventId, IReadOnlyList<RequestMessage> Request, string Response,
        IReadOnlyList<Guid> ReactionIds, IReadOnlyList<Guid> EditIds, IReadOnlyList<Guid> RegenerateIds, IReadOnlyList<Guid> CopyIds, IReadOnlyList<Guid> FollowUpIds,
        Guid? OldLabelId, sbyte? OldLabel, DateTimeOffset? OldCreatedAt)
    {
        public TurnSignals Signals => new(Project, TurnId, ConversationId, UserId, Model, ModelVersion, TurnTimestamp, ReactionPolarity,
            ThumbsUp, ThumbsDown, EmojiPolarity, RatingNormalized, Edited, EditDistanceRatio, Regenerated, Chosen, NotChosen, Copied,
            FollowUpLabel, FollowUpConfidence, EventCount, EventsReceivedAt, DerivedAt);
    }
}

/// <summary>One row of <c>turn_labels</c> (Schema/Migrations/0010): a turn's unpaired label with its lineage.</summary>
public sealed record TurnLabel(
    string Project, string TurnId, Guid LabelId, sbyte Label, float Confidence, string Source, IReadOnlyList<string> Signals,
    IReadOnlyList<RequestMessage> Prompt, string Completion, IReadOnlyList<Guid> SourceEventIds,
    string Model, string ModelVersion, string UserId, DateTimeOffset SignalsDerivedAt, DateTimeOffset CreatedAt, DateTimeOffset LabelledAt);
