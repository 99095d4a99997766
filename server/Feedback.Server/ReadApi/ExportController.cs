using Feedback.Analytics.Export;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>
/// Export for pipelines that pull over HTTP, authenticated with a project read key (docs/export.md). A
/// watermarked pull does not move the watermark by itself: the client confirms the position it stored
/// (header <see cref="ExportResponse.NextHeader"/>) with a POST, so a download that breaks off is simply repeated.
/// </summary>
[ApiController]
[Route("v1/export")]
[ReadKey]
public sealed class ExportController(PairExport export, ExportWatermarks watermarks) : ControllerBase
{
    [HttpGet]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> Get([FromQuery] ExportQuery query, [FromQuery] string? project, CancellationToken cancellationToken)
    {
        if (ProjectScope.Refuse(this, project) is { } refusal) return refusal;
        if (query.Refusal(export.Formats) is { } reason) return Problem(statusCode: StatusCodes.Status400BadRequest, detail: reason);
        await ExportResponse.WriteAsync(Response, export, watermarks, query, WriteKeyAttribute.ProjectOf(HttpContext), cancellationToken);
        return new EmptyResult();
    }

    /// <summary>Advances the watermark <c>name</c> to the position a watermarked export answered in its <c>Feedback-Watermark-Next</c> header.</summary>
    [HttpPost("watermarks/{name}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> Advance(string name, [FromQuery] string position, [FromQuery] string? project, CancellationToken cancellationToken)
    {
        if (ProjectScope.Refuse(this, project) is { } refusal) return refusal;
        ExportPosition parsed;
        try
        {
            parsed = ExportPosition.Parse(position);
        }
        catch (FormatException e)
        {
            return Problem(statusCode: StatusCodes.Status400BadRequest, detail: e.Message);
        }
        await watermarks.AdvanceAsync(WriteKeyAttribute.ProjectOf(HttpContext), name, parsed, cancellationToken);
        return NoContent();
    }
}
