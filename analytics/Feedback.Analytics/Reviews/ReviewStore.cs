using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Reviews;

/// <summary>
/// Stores people's reviews of follow-ups in <c>follow_up_reviews</c> (source <c>review</c>, confidence 1): the
/// next mining run applies them (TurnSignalsJob). A review of a follow-up reviewed before replaces it, so reviewing
/// twice keeps the last. Each review is checked on its own: an unknown label, or an event that is not a follow-up of
/// the project (or whose turn has not arrived), is refused with its reason and the others are stored.
/// </summary>
public sealed class ReviewStore(IClickHouse store, TimeProvider clock)
{
    public const int MaxReviewerLength = 200;
    public const int MaxBatch = 1_000;

    // text_signals holds every follow-up whose turn has arrived (the queue's rows); turn_signals gives its conversation.
    private const string FollowUps = """
        SELECT s.event_id AS event_id, s.turn_id AS turn_id, ifNull(t.conversation_id, '') AS conversation_id
        FROM (SELECT DISTINCT event_id, turn_id FROM text_signals
              WHERE project = {project:String} AND kind = 'follow_up' AND event_id IN {events:Array(UUID)}) AS s
        LEFT JOIN (SELECT turn_id, any(conversation_id) AS conversation_id FROM turn_signals
                   WHERE project = {project:String} AND turn_id IN (SELECT turn_id FROM text_signals
                       WHERE project = {project:String} AND event_id IN {events:Array(UUID)}) GROUP BY turn_id) AS t
            ON t.turn_id = s.turn_id
        """;

    /// <summary>
    /// Stores <paramref name="reviews"/> of <paramref name="project"/>'s follow-ups by <paramref name="reviewer"/>
    /// (a name or an address: who answers for the label). Of two reviews of one event in a batch the last counts.
    /// </summary>
    /// <exception cref="ArgumentException">No reviewer, or more than <see cref="MaxBatch"/> reviews.</exception>
    public async Task<ReviewOutcome> SubmitAsync(string project, string reviewer, IReadOnlyList<FollowUpReview> reviews, CancellationToken cancellationToken = default)
    {
        reviewer = reviewer.Trim();
        if (reviewer.Length is 0 or > MaxReviewerLength)
            throw new ArgumentException($"Say who reviewed: a reviewer of 1 to {MaxReviewerLength} characters.", nameof(reviewer));
        if (reviews.Count > MaxBatch) throw new ArgumentException($"At most {MaxBatch} reviews at a time.", nameof(reviews));
        var rejected = new List<RejectedReview>();
        var last = new Dictionary<Guid, FollowUpReview>();
        foreach (var review in reviews)
        {
            if (review.Label == FollowUpReview.Skip || FollowUpLabels.All.Contains(review.Label)) last[review.EventId] = review;
            else rejected.Add(new(review.EventId, $"Unknown label '{review.Label}': one of {string.Join(", ", FollowUpLabels.All)}, or {FollowUpReview.Skip}."));
        }
        if (last.Count == 0) return new ReviewOutcome(0, rejected);
        var found = (await store.QueryAsync<FollowUpRow>(FollowUps, new { project, events = last.Keys.ToList() }, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.EventId);
        var now = clock.GetUtcNow();
        var rows = new List<ReviewRow>();
        foreach (var review in last.Values)
        {
            if (found.TryGetValue(review.EventId, out var followUp))
                rows.Add(new(project, review.EventId, followUp.ConversationId, followUp.TurnId, FollowUpLabelSources.Review, review.Label, 1f, reviewer, now));
            else
                rejected.Add(new(review.EventId, $"Not a follow-up of project '{project}' (or its turn has not arrived yet, so it cannot be reviewed)."));
        }
        await store.InsertAsync("follow_up_reviews", rows, cancellationToken).ConfigureAwait(false);
        return new ReviewOutcome(rows.Count, rejected);
    }

    private sealed record FollowUpRow(Guid EventId, string TurnId, string ConversationId);

    private sealed record ReviewRow(
        string Project, Guid EventId, string ConversationId, string TurnId, string Source, string Label, float Confidence,
        string LabelledBy, DateTimeOffset LabelledAt);
}
