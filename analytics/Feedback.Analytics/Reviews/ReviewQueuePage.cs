namespace Feedback.Analytics.Reviews;

/// <summary>The first follow-ups of a project's review queue, in queue order, and how many are waiting in all.</summary>
public sealed record ReviewQueuePage(string Project, long Pending, IReadOnlyList<ReviewQueueItem> Items);
