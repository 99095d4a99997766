using Feedback.Analytics.Export;
using Feedback.Analytics.Store;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>The key's project's bias report (docs/export.md; <c>feedback report bias</c>), read with a read key.</summary>
[ApiController]
[Route("v1/reports/bias")]
[ReadKey]
public sealed class BiasReportController(IClickHouse store) : ControllerBase
{
    /// <summary>Length bias per pair source, pairs and labels per model version, outlier users: as Markdown.</summary>
    [HttpGet]
    [Produces("text/markdown")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/markdown")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> Get([FromQuery] string? project, CancellationToken cancellationToken)
    {
        if (ProjectScope.Refuse(this, project) is { } refusal) return refusal;
        var report = await new BiasReport(store).BuildAsync(WriteKeyAttribute.ProjectOf(HttpContext), cancellationToken);
        return Content(report.ToMarkdown(), "text/markdown");
    }
}
