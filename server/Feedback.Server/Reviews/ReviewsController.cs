using Feedback.Analytics.Reviews;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.Reviews;

/// <summary>
/// The review queue (docs/reviews.md): the follow-ups most worth a person's look, with a read or review key, and
/// people's labels for them, with a review key only (a read key must not change the data, a write key must not read).
/// </summary>
[ApiController]
[Route("v1/reviews")]
public sealed class ReviewsController(ReviewQueueReader queue, ReviewStore reviews) : ControllerBase
{
    /// <summary>The first <c>limit</c> follow-ups waiting for review (1 to 500, default 50), in queue order.</summary>
    [HttpGet("queue")]
    [ReadKey]
    [ProducesResponseType<ReviewQueuePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Queue([FromQuery] int limit = ReviewQueueReader.DefaultLimit, CancellationToken cancellationToken = default) =>
        limit is < 1 or > ReviewQueueReader.MaxLimit
            ? Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"limit must be 1 to {ReviewQueueReader.MaxLimit}.")
            : Ok(await queue.ReadAsync(ProjectKeyAttribute.ProjectOf(HttpContext), limit, cancellationToken));

    /// <summary>
    /// Stores labels for follow-ups of the key's project: each a label of the follow-up taxonomy or <c>skip</c>.
    /// Refused ones come back with their reasons and the others are stored; 400 when none could be.
    /// </summary>
    [HttpPost]
    [ReviewKey]
    [ProducesResponseType<ReviewOutcome>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Submit([FromBody] ReviewSubmission submission, CancellationToken cancellationToken)
    {
        if (submission.Reviews.Count == 0) return Problem(statusCode: StatusCodes.Status400BadRequest, detail: "No reviews: send at least one.");
        ReviewOutcome outcome;
        try
        {
            outcome = await reviews.SubmitAsync(ProjectKeyAttribute.ProjectOf(HttpContext), submission.Reviewer, submission.Reviews, cancellationToken);
        }
        catch (ArgumentException e)
        {
            return Problem(statusCode: StatusCodes.Status400BadRequest, detail: e.Message.Split(" (Parameter", 2)[0]);
        }
        if (outcome.Stored > 0) return Ok(outcome);
        var problem = ProblemDetailsFactory.CreateProblemDetails(HttpContext, StatusCodes.Status400BadRequest, "No review stored",
            detail: "Every review was refused; see rejected.");
        problem.Extensions["rejected"] = outcome.Rejected;
        return new ObjectResult(problem) { StatusCode = StatusCodes.Status400BadRequest, ContentTypes = { "application/problem+json" } };
    }
}
