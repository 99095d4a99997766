using Feedback.Analytics.Topics;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>Topics of negative feedback, read with a project read key (docs/read-api.md, <c>GET /v1/topics</c>).</summary>
[ApiController]
[Route("v1/topics")]
[ReadKey]
public sealed class TopicsController(TopicReader reader, TimeProvider clock) : ControllerBase
{
    [HttpGet]
    [ProducesResponseType<TopicsView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Get([FromQuery] TopicsParameters parameters, CancellationToken cancellationToken)
    {
        var (query, error) = parameters.ToQuery(clock.GetUtcNow());
        return query is null
            ? Problem(statusCode: StatusCodes.Status400BadRequest, detail: error)
            : Ok(await reader.ReadAsync(WriteKeyAttribute.ProjectOf(HttpContext), query, cancellationToken));
    }
}
