using Feedback.Analytics.Trends;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>Trends and comparisons of the key's project (docs/read-api.md), authenticated with a read key.</summary>
[ApiController]
[Route("v1")]
[ReadKey]
public sealed class TrendsController(TrendReports reports, TimeProvider clock) : ControllerBase
{
    /// <summary>Turns and feedback rates per time bucket, one series per value of <c>by</c>.</summary>
    /// <remarks>Also takes <c>metadata.&lt;key&gt;=&lt;value&gt;</c> filters.</remarks>
    [HttpGet("trends")]
    [ProducesResponseType<TrendReport>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<ActionResult<TrendReport>> Trends([FromQuery] TrendsQuery query, [FromQuery] string? project, CancellationToken cancellationToken)
    {
        if (ProjectScope.Refuse(this, project) is { } refusal) return refusal;
        query.WithMetadataFrom(Request.Query);
        var filter = query.ToFilter(WriteKeyAttribute.ProjectOf(HttpContext), clock.GetUtcNow());
        return await reports.TrendsAsync(filter, query.Interval, query.Breakdown, cancellationToken);
    }

    /// <summary>Positive and negative rate of two values of a field (default model_version), with confidence intervals on <c>b − a</c>.</summary>
    /// <remarks>Also takes <c>metadata.&lt;key&gt;=&lt;value&gt;</c> filters.</remarks>
    [HttpGet("compare")]
    [ProducesResponseType<ComparisonReport>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<ActionResult<ComparisonReport>> Compare([FromQuery] CompareQuery query, [FromQuery] string? project, CancellationToken cancellationToken)
    {
        if (ProjectScope.Refuse(this, project) is { } refusal) return refusal;
        query.WithMetadataFrom(Request.Query);
        var filter = query.ToFilter(WriteKeyAttribute.ProjectOf(HttpContext), clock.GetUtcNow());
        return await reports.CompareAsync(filter, query.Compared!, query.A!, query.B!, query.Confidence, cancellationToken);
    }
}
