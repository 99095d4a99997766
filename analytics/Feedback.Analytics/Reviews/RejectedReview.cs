namespace Feedback.Analytics.Reviews;

/// <summary>A review not stored, and why.</summary>
public sealed record RejectedReview(Guid EventId, string Reason);
