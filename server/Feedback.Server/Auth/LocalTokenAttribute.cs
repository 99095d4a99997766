using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Feedback.Server.Auth;

/// <summary>
/// Requires the local token (<see cref="LocalAccess"/>): routes that act on the whole store or change what mining
/// derives (run mining now, refit topics, train the predictor). A project key is refused (403), none is 401.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class LocalTokenAttribute : Attribute, IAuthorizationFilter
{
    public void OnAuthorization(AuthorizationFilterContext context)
    {
        if (LocalAccess.IsLocal(context.HttpContext)) return;
        var status = LocalAccess.BearerOf(context.HttpContext) is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        context.Result = new ObjectResult(new ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden",
            Detail = "Only the local token of the server's data directory (server.json) may do this; the feedback command uses it.",
        })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };
    }
}
