using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.Predictor;
using Feedback.Analytics.Trends;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Cli.Hosting;

/// <summary>Local admin calls used by the CLI while the server holds the store; not part of the public API.</summary>
[ApiController]
[Route("admin")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class AdminController(
    LocalServer local, MiningJob mining, PairExport export, ExportWatermarks watermarks, TrendReports trends, TimeProvider clock,
    ReactionPredictors predictors, Analytics.Store.IClickHouse store) : ControllerBase
{
    [HttpPost("mine")]
    public async Task<IActionResult> Mine(CancellationToken cancellationToken) =>
        Admitted() ? Ok(await mining.RunAsync(cancellationToken)) : Unauthorized();

    /// <summary>The export the CLI asked for; a watermark is advanced by a separate call once the file is in place.</summary>
    [HttpPost("train-predictor")]
    public async Task<IActionResult> TrainPredictor([FromQuery] string project, CancellationToken cancellationToken)
    {
        if (!Admitted()) return Unauthorized();
        try
        {
            return Ok(PredictorSummary.Of(await predictors.TrainAsync(project, cancellationToken)));
        }
        catch (InvalidOperationException e)
        {
            return Problem(statusCode: StatusCodes.Status422UnprocessableEntity, detail: e.Message);
        }
    }

    [HttpGet("report/bias")]
    public async Task<IActionResult> BiasReport([FromQuery] string project, CancellationToken cancellationToken) =>
        Admitted() ? Content((await new BiasReport(store).BuildAsync(project, cancellationToken)).ToMarkdown(), "text/markdown") : Unauthorized();

    [HttpGet("export")]
    public async Task<IActionResult> Export([FromQuery] ExportQuery query, [FromQuery] string project, CancellationToken cancellationToken)
    {
        if (!Admitted()) return Unauthorized();
        if (query.Refusal(export.Formats) is { } reason) return Problem(statusCode: StatusCodes.Status400BadRequest, detail: reason);
        await ExportResponse.WriteAsync(Response, export, watermarks, query, project, cancellationToken);
        return new EmptyResult();
    }

    [HttpPost("export/watermarks/{name}")]
    public async Task<IActionResult> Advance(string name, [FromQuery] string project, [FromQuery] string position, CancellationToken cancellationToken)
    {
        if (!Admitted()) return Unauthorized();
        await watermarks.AdvanceAsync(project, name, ExportPosition.Parse(position), cancellationToken);
        return NoContent();
    }

    [HttpGet("trends")]
    public async Task<IActionResult> Trends([FromQuery] TrendsQuery query, [FromQuery] string project, CancellationToken cancellationToken)
    {
        if (!Admitted()) return Unauthorized();
        query.WithMetadataFrom(Request.Query);
        return Ok(await trends.TrendsAsync(query.ToFilter(project, clock.GetUtcNow()), query.Interval, query.Breakdown, cancellationToken));
    }

    [HttpGet("compare")]
    public async Task<IActionResult> Compare([FromQuery] CompareQuery query, [FromQuery] string project, CancellationToken cancellationToken)
    {
        if (!Admitted()) return Unauthorized();
        query.WithMetadataFrom(Request.Query);
        return Ok(await trends.CompareAsync(query.ToFilter(project, clock.GetUtcNow()), query.Compared!, query.A!, query.B!, query.Confidence, cancellationToken));
    }

    private bool Admitted() => local.Admits(Request.Headers[LocalServer.TokenHeader]);
}
