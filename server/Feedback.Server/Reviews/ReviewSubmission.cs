using System.ComponentModel.DataAnnotations;
using Feedback.Analytics.Reviews;

namespace Feedback.Server.Reviews;

/// <summary>The body of <c>POST /v1/reviews</c>: who reviewed, and their labels.</summary>
/// <remarks>
/// The validation attributes sit on the constructor's parameters: MVC validates a record's primary-constructor
/// parameters, and one on a property (<c>[property: Required]</c>) makes it throw on every request (a 500).
/// </remarks>
public sealed record ReviewSubmission(
    [Required] string Reviewer,
    [Required] IReadOnlyList<FollowUpReview> Reviews);
