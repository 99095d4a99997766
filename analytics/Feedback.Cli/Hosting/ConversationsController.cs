using Feedback.Analytics.Conversations;
using Feedback.Analytics.Reading;
using Feedback.Ingest.Controllers;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Cli.Hosting;

/// <summary>
/// Drill-down of the read API (docs/read-api.md): the conversations behind a data point, and one conversation
/// with its turns, signals and feedback. A read key sees its own project only: another project's conversation
/// is simply not found.
/// </summary>
[ApiController]
[Route("v1/conversations")]
[ReadKey]
[ProducesResponseType(StatusCodes.Status401Unauthorized)]
[ProducesResponseType(StatusCodes.Status403Forbidden)]
public sealed class ConversationsController(ConversationReader reader, TimeProvider clock) : ControllerBase
{
    /// <summary>The conversations with turns matching the filters, newest first, a page at a time.</summary>
    /// <param name="filters">from, to and the common filters; <c>metadata.&lt;key&gt;=&lt;value&gt;</c> too.</param>
    /// <param name="by">the field of the series a data point belongs to (with <paramref name="key"/>).</param>
    /// <param name="key">the series' value of <paramref name="by"/>.</param>
    /// <param name="signal"><c>any</c>, <c>positive</c> or <c>negative</c>: only conversations with such a turn.</param>
    /// <param name="page">1-based.</param>
    /// <param name="pageSize">at most 100.</param>
    [HttpGet]
    [ProducesResponseType<ConversationPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> List(
        [FromQuery] ReadFilterQuery filters, [FromQuery] string? by, [FromQuery] string? key, [FromQuery] string? signal,
        [FromQuery] int page = 1, [FromQuery(Name = "page_size")] int pageSize = ConversationReader.DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        var (filter, error) = filters.ToFilter(WriteKeyAttribute.ProjectOf(HttpContext), Request.Query, clock.GetUtcNow());
        error ??= (by, key) switch
        {
            (null, null) => null,
            (null, _) or (_, null) => "by and key go together: the series a data point belongs to",
            _ when !TurnField.IsValid(by) => $"by is one of {string.Join(", ", TurnField.Columns)} or metadata.<key>",
            _ => null,
        };
        if (signal is not null && !TurnPolarity.Signals.Contains(signal)) error ??= $"signal is one of {string.Join(", ", TurnPolarity.Signals)}";
        if (page < 1) error ??= "page starts at 1";
        if (pageSize is < 1 or > ConversationReader.MaxPageSize) error ??= $"page_size is 1 to {ConversationReader.MaxPageSize}";
        if (error is not null) return Problem(statusCode: StatusCodes.Status400BadRequest, detail: error);
        if (by is not null) filter = filter! with { Matches = [.. filter.Matches, KeyValuePair.Create(by, key!)] };
        return Ok(await reader.ListAsync(filter!, signal, page, pageSize, cancellationToken));
    }

    /// <summary>Every turn of a conversation in order, with request, response, signals and feedback.</summary>
    [HttpGet("{conversationId}")]
    [ProducesResponseType<Conversation>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(string conversationId, CancellationToken cancellationToken)
    {
        var conversation = await reader.GetAsync(WriteKeyAttribute.ProjectOf(HttpContext), conversationId, cancellationToken);
        return conversation is null
            ? Problem(statusCode: StatusCodes.Status404NotFound, detail: $"The project has no conversation '{conversationId}'.")
            : Ok(conversation);
    }
}
