using Feedback.Analytics.Topics;
using Feedback.Analytics.Trends;
using Feedback.Ingest.Controllers;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Cli.Hosting;

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

/// <summary>The query string of <c>GET /v1/topics</c> (and of the CLI's admin call).</summary>
public sealed class TopicsParameters
{
    public const int MaxLimit = 100;
    public const int MaxPoints = 1000;

    [FromQuery(Name = "from")] public DateTimeOffset? From { get; set; }
    [FromQuery(Name = "to")] public DateTimeOffset? To { get; set; }
    [FromQuery(Name = "interval")] public string Interval { get; set; } = "day";
    [FromQuery(Name = "limit")] public int Limit { get; set; } = 20;

    /// <summary>The query these parameters ask for at <paramref name="now"/>, or why they are wrong.</summary>
    public (TopicQuery? Query, string? Error) ToQuery(DateTimeOffset now)
    {
        var to = To ?? now;
        var from = From ?? to.AddDays(-30);
        if (from >= to) return (null, "from must be before to");
        if (TrendInterval.Parse(Interval) is not { } interval)
            return (null, $"interval is one of {string.Join(", ", TrendInterval.All.Select(i => i.Name))}");
        if (Limit is < 1 or > MaxLimit) return (null, $"limit is between 1 and {MaxLimit}");
        if (interval.Count(from, to) > MaxPoints)
            return (null, $"the range holds more than {MaxPoints} {interval.Name}s: choose a longer interval or a shorter range");
        return (new TopicQuery(from, to, interval, Limit), null);
    }

    public string ToQueryString()
    {
        var parts = new List<string> { "interval=" + Uri.EscapeDataString(Interval), "limit=" + Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (From is { } from) parts.Add("from=" + Uri.EscapeDataString(from.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        if (To is { } to) parts.Add("to=" + Uri.EscapeDataString(to.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        return string.Join("&", parts);
    }
}

/// <summary>The CLI's topic calls while the server holds the store; not part of the public API.</summary>
[ApiController]
[Route("admin/topics")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class AdminTopicsController(LocalServer local, TopicReader reader, TopicJob job, TimeProvider clock) : ControllerBase
{
    [HttpGet]
    public async Task<IActionResult> Get([FromQuery] TopicsParameters parameters, [FromQuery] string project, CancellationToken cancellationToken)
    {
        if (!Admitted()) return Unauthorized();
        var (query, error) = parameters.ToQuery(clock.GetUtcNow());
        return query is null ? Problem(statusCode: StatusCodes.Status400BadRequest, detail: error) : Ok(await reader.ReadAsync(project, query, cancellationToken));
    }

    [HttpPost("refit")]
    public async Task<IActionResult> Refit([FromQuery] string project, CancellationToken cancellationToken) =>
        Admitted() ? Ok(await job.RefitAsync(project, cancellationToken)) : Unauthorized();

    private bool Admitted() => local.Admits(Request.Headers[LocalServer.TokenHeader]);
}
