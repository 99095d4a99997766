using Feedback.Analytics.Export;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>What mining produced for the key's project (docs/read-api.md, <c>GET /v1/mining</c>), read with a read key.</summary>
[ApiController]
[Route("v1/mining")]
[ReadKey]
public sealed class MiningController(MiningReport report, TimeProvider clock) : ControllerBase
{
    /// <summary>Pairs and labels per day of their turns, pair confidence, length bias, and what an export with the filters would hold.</summary>
    [HttpGet]
    [ProducesResponseType<MiningSummary>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    public async Task<IActionResult> Get([FromQuery] MiningQuery query, CancellationToken cancellationToken)
    {
        var to = query.To ?? clock.GetUtcNow();
        var from = query.From ?? to - TurnFilterQuery.DefaultRange;
        if (from >= to) return Problem(statusCode: StatusCodes.Status400BadRequest, detail: "from must be before to");
        if (query.MinConfidence is < 0 or > 1) return Problem(statusCode: StatusCodes.Status400BadRequest, detail: "min_confidence is between 0 and 1");
        var project = WriteKeyAttribute.ProjectOf(HttpContext);
        // The export counts cover everything mined so far (as a pull without a watermark), not the turns' range.
        var filter = new ExportFilter { Project = project, MinConfidence = query.MinConfidence, Sources = query.Sources };
        return Ok(await report.BuildAsync(project, from, to, filter, cancellationToken));
    }
}
