using System.Globalization;
using Feedback.Analytics.Projects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace Feedback.Server.Auth;

/// <summary>
/// Requires a project key of one of <paramref name="kinds"/> (the first named in errors); 401 without a valid key,
/// 403 for a valid key of another kind. The local token (<see cref="LocalAccess"/>) is admitted as full access.
/// </summary>
public abstract class ProjectKeyAttribute(params string[] kinds) : Attribute, IAsyncAuthorizationFilter
{
    private readonly string kind = kinds[0];

    private const string ProjectItem = "feedback.project";

    public static string ProjectOf(HttpContext context) => (string)context.Items[ProjectItem]!;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (LocalAccess.IsLocal(http))
        {
            http.Items[ProjectItem] = LocalAccess.ProjectOf(http);
            return;
        }
        var keys = http.RequestServices.GetRequiredService<ProjectKeys>();
        var limiter = http.RequestServices.GetRequiredService<AuthFailureLimiter>();
        var client = http.Connection.RemoteIpAddress;
        var key = KeyOf(http);
        // Checked before any lookup, so a key guesser costs neither store queries nor the engine's lock.
        if (limiter.RetryAfter(client) is { } wait && (key is null || !keys.IsKnown(key)))
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            context.Result = Problem(StatusCodes.Status429TooManyRequests, "Too many requests with an invalid key from this address; retry later.");
            return;
        }
        if (key is null)
        {
            limiter.RecordFailure(client);
            context.Result = Problem(StatusCodes.Status401Unauthorized, $"Send the project's {kind} key as 'Authorization: Bearer <key>'.");
            return;
        }
        var grant = await keys.FindGrantAsync(key, http.RequestAborted);
        if (grant is null)
        {
            limiter.RecordFailure(client);
            context.Result = Problem(StatusCodes.Status401Unauthorized, $"The key is not a valid {kind} key.");
            return;
        }
        if (!kinds.Contains(grant.Kind))
        {
            context.Result = Problem(StatusCodes.Status403Forbidden, $"A {grant.Kind} key cannot do this; use a {kind} key.");
            return;
        }
        if (Admit(http, grant) is { } refused)
        {
            context.Result = refused;
            return;
        }
        http.Items[ProjectItem] = grant.Project;
    }

    /// <summary>The key the request carries: the bearer token of its <c>Authorization</c> header, or null.</summary>
    protected virtual string? KeyOf(HttpContext context) => LocalAccess.BearerOf(context);

    /// <summary>Further checks on a valid key of the right kind: null admits the request, a result refuses it.</summary>
    protected virtual ObjectResult? Admit(HttpContext context, KeyGrant grant) => null;

    protected static ObjectResult Problem(int status, string detail) =>
        new(new ProblemDetails
        {
            Status = status,
            Title = status switch
            {
                StatusCodes.Status403Forbidden => "Forbidden",
                StatusCodes.Status429TooManyRequests => "Too many requests",
                _ => "Unauthorized",
            },
            Detail = detail,
        })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };
}
