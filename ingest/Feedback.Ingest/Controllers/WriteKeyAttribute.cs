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
public sealed class WriteKeyAttribute : Attribute, IAsyncAuthorizationFilter
{
    private const string ProjectItem = "feedback.project";

    public static string ProjectOf(HttpContext context) => (string)context.Items[ProjectItem]!;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            context.Result = Unauthorized("Send the project's write key as 'Authorization: Bearer <key>'.");
            return;
        }
        var keys = context.HttpContext.RequestServices.GetRequiredService<ProjectKeys>();
        var project = await keys.FindProjectAsync(header[scheme.Length..].Trim(), KeyKind.Write, context.HttpContext.RequestAborted);
        if (project is null)
        {
            context.Result = Unauthorized("The key is not a valid write key.");
            return;
        }
        context.HttpContext.Items[ProjectItem] = project;
    }

    private static ObjectResult Unauthorized(string detail) =>
        new(new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail })
        {
            StatusCode = StatusCodes.Status401Unauthorized,
            ContentTypes = { "application/problem+json" },
        };
}
