using Feedback.Ingest;
using Feedback.Ingest.Batches;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Feedback.Server.Capture;

/// <summary>The capture API (docs/ingest-api.md).</summary>
[ApiController]
[Route("v1")]
public sealed partial class BatchController(BatchReader reader, BatchProcessor processor, IEventSink sink, ILogger<BatchController> logger)
    : ControllerBase
{
    /// <summary>Sends a batch of events. The answer says, per event, whether it was stored or why not.</summary>
    [HttpPost("batch")]
    [WriteKey]
    [Consumes(typeof(BatchRequest), "application/json", "text/plain")] // text/plain: web pages' beacons, with the key in the query only
    [ProducesResponseType<BatchResult>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> PostBatch(CancellationToken cancellationToken)
    {
        var (document, problem) = await reader.ReadAsync(Request, WriteKeyAttribute.KeyInQuery(HttpContext), cancellationToken);
        if (problem is not null) return Problem(problem);
        using (document)
        {
            var (accepted, result, batchProblem) = processor.Process(document!, WriteKeyAttribute.ProjectOf(HttpContext));
            if (batchProblem is not null) return Problem(batchProblem);
            if (accepted.Count == 0)
            {
                var rejected = Problem(new BatchProblem(400, "No event accepted", "Every event in the batch was rejected; see results."));
                ((ProblemDetails)((ObjectResult)rejected).Value!).Extensions["results"] = result.Results;
                return rejected;
            }

            try
            {
                await sink.WriteAsync(accepted, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSinkFailed(logger, e, accepted.Count);
                Response.Headers.RetryAfter = "5";
                return Problem(new BatchProblem(503, "Not stored", "The events could not all be stored right now. Retry the batch: events of it already stored collapse on event_id."));
            }
            return Ok(result);
        }
    }

    /// <summary>
    /// The CORS preflight of a web page's <c>POST /v1/batch?key=…</c>. The key filter has checked the key and the
    /// page's origin (and granted it in Access-Control-Allow-Origin); a refused origin gets 403 and no grant.
    /// </summary>
    [HttpOptions("batch")]
    [WriteKey]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public IActionResult PreflightBatch()
    {
        Response.Headers.Allow = "POST, OPTIONS";
        if (Request.Headers.Origin.Count > 0)
        {
            Response.Headers.AccessControlAllowMethods = "POST";
            Response.Headers.AccessControlAllowHeaders = "Content-Type, Content-Encoding";
            Response.Headers.AccessControlMaxAge = "7200"; // Chromium's cap: one preflight per page and key every two hours
        }
        return NoContent();
    }

    private ObjectResult Problem(BatchProblem p)
    {
        var result = Problem(statusCode: p.Status, title: p.Title, detail: p.Detail);
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} accepted events")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception, int count);
}
