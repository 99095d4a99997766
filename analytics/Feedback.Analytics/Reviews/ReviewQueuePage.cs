using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Analytics.Reviews;

/// <summary>
/// The first follow-ups of a project's review queue, in queue order, how many are waiting in all, and the labels a
/// review may give (besides <see cref="FollowUpReview.Skip"/>), so a client offers the server's taxonomy.
/// </summary>
public sealed record ReviewQueuePage(string Project, long Pending, IReadOnlyList<ReviewQueueItem> Items)
{
    public IReadOnlyList<string> Labels { get; init; } = FollowUpLabels.All;
}
