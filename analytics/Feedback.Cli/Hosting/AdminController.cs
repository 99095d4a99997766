using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Cli.Hosting;

/// <summary>Local admin calls used by the CLI while the server holds the store; not part of the public API.</summary>
[ApiController]
[Route("admin")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class AdminController(LocalServer local, MiningJob mining, DpoExport export) : ControllerBase
{
    [HttpPost("mine")]
    public async Task<IActionResult> Mine(CancellationToken cancellationToken) =>
        Admitted() ? Ok(await mining.RunAsync(cancellationToken)) : Unauthorized();

    [HttpGet("export/dpo")]
    public async Task Export([FromQuery] string project, CancellationToken cancellationToken)
    {
        if (!Admitted())
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        Response.ContentType = "application/jsonl";
        await export.WriteAsync(project, Response.Body, cancellationToken);
    }

    private bool Admitted() => local.Admits(Request.Headers[LocalServer.TokenHeader]);
}
