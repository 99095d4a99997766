using Feedback.Analytics.Projects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace Feedback.Ingest.Controllers;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;write key&gt;</c> and makes the key's project the request's project.
/// A key only ever writes to its own project.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class WriteKeyAttribute() : ProjectKeyAttribute(KeyKind.Write);

/// <summary>
/// Requires <c>Authorization: Bearer &lt;read key&gt;</c> and makes the key's project the request's project.
/// A write key is refused (403): keys in SDKs ship inside apps, so they must not read data back.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ReadKeyAttribute() : ProjectKeyAttribute(KeyKind.Read);

/// <summary>Requires a project key of one kind; 401 without a valid key, 403 for a valid key of another kind.</summary>
public abstract class ProjectKeyAttribute(string kind) : Attribute, IAsyncAuthorizationFilter
{
    private const string ProjectItem = "feedback.project";

    public static string ProjectOf(HttpContext context) => (string)context.Items[ProjectItem]!;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            context.Result = Problem(StatusCodes.Status401Unauthorized, $"Send the project's {kind} key as 'Authorization: Bearer <key>'.");
            return;
        }
        var keys = context.HttpContext.RequestServices.GetRequiredService<ProjectKeys>();
        var key = header[scheme.Length..].Trim();
        var project = await keys.FindProjectAsync(key, kind, context.HttpContext.RequestAborted);
        if (project is null)
        {
            var other = kind == KeyKind.Read ? KeyKind.Write : KeyKind.Read;
            context.Result = await keys.FindProjectAsync(key, other, context.HttpContext.RequestAborted) is null
                ? Problem(StatusCodes.Status401Unauthorized, $"The key is not a valid {kind} key.")
                : Problem(StatusCodes.Status403Forbidden, $"A {other} key cannot do this; use a {kind} key.");
            return;
        }
        context.HttpContext.Items[ProjectItem] = project;
    }

    private static ObjectResult Problem(int status, string detail) =>
        new(new ProblemDetails { Status = status, Title = status == StatusCodes.Status403Forbidden ? "Forbidden" : "Unauthorized", Detail = detail })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };
}
