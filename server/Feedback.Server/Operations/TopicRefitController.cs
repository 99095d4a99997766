using Feedback.Analytics.Topics;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.Operations;

/// <summary>Fits a project's topics again on all its negative turns (<c>feedback topics --refit</c>); ids stay stable.</summary>
[ApiController]
[Route("v1/topics/refit")]
[LocalToken]
public sealed class TopicRefitController(TopicJob job) : ControllerBase
{
    /// <summary>Refits the topics of <c>project</c> now; needs the local token.</summary>
    [HttpPost]
    [ProducesResponseType<TopicRunResult>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<TopicRunResult> Refit([FromQuery] string project, CancellationToken cancellationToken) =>
        await job.RefitAsync(project, cancellationToken);
}
