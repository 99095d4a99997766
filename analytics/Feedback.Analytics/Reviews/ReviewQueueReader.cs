using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Reviews;

/// <summary>
/// The follow-ups of a project most worth a person's look (docs/reviews.md): those no person has reviewed yet,
/// first the uncertain ones (proposed label's calibrated confidence below <see cref="UncertainBelow"/>) by
/// confidence, lowest first; then those whose label disagrees with the turn's other signals (a positive follow-up
/// on an answer with a thumb down or a regenerate; a complaint, correction or rephrase on an answer with a thumb up);
/// then the rest, by confidence. The proposed label is the app's LLM's when it labelled the follow-up, else the
/// classifier's.
/// </summary>
public sealed class ReviewQueueReader(IClickHouse store)
{
    /// <summary>A proposed label less sure than this is "uncertain": about one follow-up in ten on the held-out set.</summary>
    public const float UncertainBelow = 0.6f;

    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    // The follow-ups whose turn has arrived are the rows of text_signals (TextSignalsJob), so the queue starts there.
    // The queue CTE is read three times (ClickHouse inlines it); its order is total, so each reading is the same.
    private const string Queue = """
        WITH
            queue AS
            (
                SELECT p.event_id AS event_id, p.turn_id AS turn_id, p.event_timestamp AS event_timestamp, p.label AS label,
                    p.confidence AS confidence, p.proposed_by AS proposed_by, ifNull(t.conversation_id, '') AS conversation_id,
                    multiIf(p.label = 'positive' AND (ifNull(t.reaction_polarity, 0) < 0 OR ifNull(t.regenerated, 0) = 1),
                                'a positive follow-up on an answer the user disapproved of (thumb down, emoji, rating or regenerate)',
                            p.label IN ('complaint', 'correction', 'rephrase') AND ifNull(t.reaction_polarity, 0) > 0,
                                concat('a ', p.label, ' on an answer the user approved of (thumb up, emoji or rating)'),
                            '') AS disagreement,
                    multiIf(p.confidence < {uncertain:Float32}, 0, disagreement != '', 1, 2) AS tier
                FROM
                (
                    SELECT s.turn_id AS turn_id, s.event_id AS event_id, s.event_timestamp AS event_timestamp,
                        if(l.found = 1, l.label, s.follow_up_label) AS label,
                        if(l.found = 1, l.confidence, ifNull(s.follow_up_confidence, 0)) AS confidence,
                        if(l.found = 1, 'llm', 'model') AS proposed_by
                    FROM text_signals AS s FINAL
                    LEFT JOIN
                    (
                        -- found: 0 (or NULL under join_use_nulls) where the LLM has not labelled the follow-up; without
                        -- join_use_nulls an unmatched label is '', not NULL, so IS NULL cannot tell
                        SELECT event_id, label, confidence, toUInt8(1) AS found FROM follow_up_reviews FINAL
                        WHERE project = {project:String} AND source = 'llm'
                    ) AS l ON l.event_id = s.event_id
                    WHERE s.project = {project:String} AND s.kind = 'follow_up'
                        AND s.event_id NOT IN (SELECT event_id FROM follow_up_reviews WHERE project = {project:String} AND source = 'review')
                ) AS p
                LEFT JOIN
                (
                    SELECT turn_id, conversation_id, reaction_polarity, regenerated FROM turn_signals FINAL
                    WHERE project = {project:String}
                ) AS t ON t.turn_id = p.turn_id
                ORDER BY tier, confidence, event_timestamp, event_id
                LIMIT {limit:UInt32}
            )
        SELECT q.event_id AS event_id, q.conversation_id AS conversation_id, q.turn_id AS turn_id, q.event_timestamp AS follow_up_at,
            ifNull(f.message, '') AS follow_up, ifNull(a.response, '') AS response, a.request AS request,
            q.label AS proposed_label, q.confidence AS confidence, q.proposed_by AS proposed_by, q.disagreement AS disagreement
        FROM queue AS q
        LEFT JOIN
        (
            SELECT event_id, any(message) AS message FROM events -- no FINAL: a re-delivered copy has the same text
            WHERE project = {project:String} AND kind = 'follow_up'
                AND conversation_id IN (SELECT conversation_id FROM queue) AND event_id IN (SELECT event_id FROM queue)
            GROUP BY event_id
        ) AS f ON f.event_id = q.event_id
        LEFT JOIN
        (
            SELECT turn_id, any(request) AS request, any(response) AS response FROM events
            WHERE project = {project:String} AND kind = 'turn'
                AND conversation_id IN (SELECT conversation_id FROM queue) AND turn_id IN (SELECT turn_id FROM queue)
            GROUP BY turn_id
        ) AS a ON a.turn_id = q.turn_id
        ORDER BY q.tier, q.confidence, q.event_timestamp, q.event_id
        """;

    private const string Pending = """
        SELECT count() AS pending FROM text_signals FINAL
        WHERE project = {project:String} AND kind = 'follow_up'
            AND event_id NOT IN (SELECT event_id FROM follow_up_reviews WHERE project = {project:String} AND source = 'review')
        """;

    /// <summary>The first <paramref name="limit"/> follow-ups of the project's queue (1 to <see cref="MaxLimit"/>).</summary>
    public async Task<ReviewQueuePage> ReadAsync(string project, int limit = DefaultLimit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        var rows = await store.QueryAsync<Row>(Queue, new { project, limit = (uint)limit, uncertain = UncertainBelow }, cancellationToken).ConfigureAwait(false);
        var pending = (await store.QueryAsync<PendingRow>(Pending, new { project }, cancellationToken).ConfigureAwait(false))[0].Pending;
        return new ReviewQueuePage(project, pending, rows.Select(r => new ReviewQueueItem(
            r.EventId, r.ConversationId, r.TurnId, r.FollowUpAt, r.Request is { Count: > 0 } request ? MiningText.LastUserMessage(request) : "",
            r.Response, r.FollowUp, r.ProposedLabel, r.Confidence, r.ProposedBy, r.Disagreement.Length > 0 ? r.Disagreement : null)).ToList());
    }

    private sealed record Row(
        Guid EventId, string ConversationId, string TurnId, DateTimeOffset FollowUpAt, string FollowUp, string Response,
        IReadOnlyList<RequestMessage>? Request, string ProposedLabel, float Confidence, string ProposedBy, string Disagreement);

    private sealed record PendingRow(long Pending);
}
