using Feedback.Analytics.Mining;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.Operations;

/// <summary>Runs mining now over every project, rather than waiting for the schedule (<c>feedback mine</c>).</summary>
[ApiController]
[Route("v1/mining/run")]
[LocalToken]
public sealed class MiningRunController(MiningJob mining) : ControllerBase
{
    /// <summary>Mines new pairs, signals, labels and scores now; needs the local token.</summary>
    [HttpPost]
    [ProducesResponseType<MiningResult>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<MiningResult> Run(CancellationToken cancellationToken) => await mining.RunAsync(cancellationToken);
}
