using Feedback.Analytics.Projects;
using Feedback.Server.Hosting;

namespace Feedback.Server.Auth;

/// <summary>
/// The local token (<see cref="LocalServer"/>, in the owner-only <c>server.json</c> of the data directory) is full
/// access on the <c>/v1</c> routes: the CLI runs its commands through them while the server holds the store. It
/// names its project with <c>?project=</c> (default: <see cref="ProjectKeys.DefaultProject"/>).
/// </summary>
public static class LocalAccess
{
    public static bool IsLocal(HttpContext context) =>
        context.RequestServices.GetService<LocalServer>() is { } local && local.Admits(BearerOf(context));

    /// <summary>The project a request with the local token acts on.</summary>
    public static string ProjectOf(HttpContext context) =>
        context.Request.Query["project"] is [{ Length: > 0 } project] ? project : ProjectKeys.DefaultProject;

    /// <summary>The bearer token of the request's <c>Authorization</c> header, or null.</summary>
    public static string? BearerOf(HttpContext context)
    {
        const string scheme = "Bearer ";
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }
}
