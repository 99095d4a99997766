using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Choice → pairs: the user picked one of several answers shown, so each other alternative is a rejected answer
/// to the chosen turn's request, one pair per alternative. Alternatives whose turn is unknown, or whose answer
/// equals the chosen one ignoring whitespace, are skipped. The join runs in ClickHouse; (choice, alternative)
/// combinations already mined are left out there, so an alternative whose turn arrives late is still mined.
/// </summary>
public sealed class ChoicePairMiner(IClickHouse store, TimeProvider clock)
{
    /// <summary>How much a choice pair is trusted: a deliberate comparison by the user, a little weaker than an edit.</summary>
    public const float Confidence = 0.8f;

    private const string Candidates = """
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
        FROM (SELECT *, arrayJoin(alternative_turn_ids) AS alternative FROM events FINAL WHERE kind = 'choice') AS c
        -- Only the turns some choice shows are read and joined.
        INNER JOIN (SELECT * FROM events FINAL WHERE kind = 'turn'
                    AND (project, turn_id) IN (SELECT project, chosen_turn_id FROM events WHERE kind = 'choice')) AS chosen
            ON chosen.project = c.project AND chosen.turn_id = c.chosen_turn_id
        INNER JOIN (SELECT * FROM events FINAL WHERE kind = 'turn'
                    AND (project, turn_id) IN (SELECT project, arrayJoin(alternative_turn_ids) FROM events WHERE kind = 'choice')) AS rejected
            ON rejected.project = c.project AND rejected.turn_id = c.alternative
        WHERE c.alternative != c.chosen_turn_id
            AND (c.event_id, rejected.event_id) NOT IN
                (SELECT source_event_ids[1], source_event_ids[3] FROM pairs FINAL WHERE source = 'choice')
        ORDER BY c.event_id, c.alternative, chosen.received_at, rejected.received_at
        LIMIT 1 BY c.event_id, c.alternative
        """;

    public async Task<int> MineAsync(CancellationToken cancellationToken = default)
    {
        var candidates = await store.QueryAsync<Candidate>(Candidates, cancellationToken: cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var pairs = candidates
            .Where(c => !MiningText.SameIgnoringWhitespace(c.ChosenResponse, c.RejectedResponse))
            .Select(c =>
            {
                Guid[] lineage = [c.ChoiceEventId, c.ChosenTurnEventId, c.RejectedTurnEventId];
                return PreferencePair.Mined(PairSources.Choice, lineage, c.Project, c.Request,
                    chosen: c.ChosenResponse, rejected: c.RejectedResponse, Confidence, c.TurnId, c.Model, c.ModelVersion, c.UserId, now);
            })
            .ToList();
        await store.InsertAsync("pairs", pairs, cancellationToken).ConfigureAwait(false);
        return pairs.Count;
    }

    private sealed record Candidate(
        Guid ChoiceEventId, string Project, string UserId, Guid ChosenTurnEventId, string TurnId,
        IReadOnlyList<RequestMessage> Request, string ChosenResponse, string Model, string ModelVersion,
        Guid RejectedTurnEventId, string RejectedResponse);
}
