namespace Feedback.Analytics.Reviews;

/// <summary>How many reviews of a batch were stored, and the ones refused with their reasons (the rest are kept).</summary>
public sealed record ReviewOutcome(int Stored, IReadOnlyList<RejectedReview> Rejected);
