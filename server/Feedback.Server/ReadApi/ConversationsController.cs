using Feedback.Analytics.Conversations;
using Feedback.Server.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>
/// Drill-down of the read API (docs/read-api.md): the conversations behind a data point, and one conversation
/// with its turns, signals and feedback. A read key sees its own project only: another project's conversation
/// is simply not found.
/// </summary>
[ApiController]
[Route("v1/conversations")]
[ReadKey]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class ConversationsController(ConversationReader reader, TimeProvider clock) : ControllerBase
{
    /// <summary>The conversations with turns matching the filters, newest first, a page at a time.</summary>
    /// <remarks>Also takes <c>metadata.&lt;key&gt;=&lt;value&gt;</c> filters.</remarks>
    [HttpGet]
    [ProducesResponseType<ConversationPage>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<ConversationPage>> List([FromQuery] ConversationsQuery query, [FromQuery] string? project, CancellationToken cancellationToken)
    {
        if (ProjectScope.Refuse(this, project) is { } refusal) return refusal;
        query.WithMetadataFrom(Request.Query);
        var filter = query.ToFilter(WriteKeyAttribute.ProjectOf(HttpContext), clock.GetUtcNow());
        return await reader.ListAsync(filter, query.Series, query.Key, query.TopicId, query.Signal, query.Page, query.PageSize, cancellationToken);
    }

    /// <summary>Every turn of a conversation in order, with request, response, signals and feedback.</summary>
    [HttpGet("{conversationId}")]
    [ProducesResponseType<Conversation>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<Conversation>> Get(string conversationId, [FromQuery] string? project, CancellationToken cancellationToken)
    {
        if (ProjectScope.Refuse(this, project) is { } refusal) return refusal;
        var conversation = await reader.GetAsync(WriteKeyAttribute.ProjectOf(HttpContext), conversationId, cancellationToken);
        return conversation is null
            ? Problem(statusCode: StatusCodes.Status404NotFound, detail: $"The project has no conversation '{conversationId}'.")
            : conversation;
    }
}
