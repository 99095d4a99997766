using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Analytics.Reviews;

/// <summary>A follow-up a person labelled, as the classifier reads it (request, answer, follow-up), with that label.</summary>
public sealed record ReviewedFollowUp(Guid EventId, FollowUp FollowUp, string Label);
