using System.ComponentModel.DataAnnotations;
using Feedback.Analytics.Reviews;

namespace Feedback.Server.Reviews;

/// <summary>The body of <c>POST /v1/reviews</c>: who reviewed, and their labels.</summary>
public sealed record ReviewSubmission(
    [Required] string Reviewer,
    [Required] IReadOnlyList<FollowUpReview> Reviews);
