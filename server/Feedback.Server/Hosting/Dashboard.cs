using System.Reflection;
using Microsoft.Net.Http.Headers;

namespace Feedback.Server.Hosting;

/// <summary>
/// Serves the dashboard (server/dashboard, bundled at build time and embedded in this assembly) at
/// <c>/dashboard/</c>; <c>/</c> leads there. The page itself is public: its data comes from the read API,
/// with the read key the page keeps in the browser (docs/analytics.md#dashboard).
/// </summary>
public static class Dashboard
{
    public const string Path = "/dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    /// <summary>The dashboard's address for a server at <paramref name="baseUrl"/>.</summary>
    public static string Url(string baseUrl) => baseUrl.TrimEnd('/') + Path;

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/", methods, () => Results.Redirect(Path)).ExcludeFromDescription();
        // The route matches /dashboard too: send it to /dashboard/, where the page's relative links resolve.
        app.MapMethods(Path + "{file?}", methods, (string? file, HttpContext context) =>
            file is null && !context.Request.Path.Value!.EndsWith('/') ? Results.Redirect(Path) : Serve(file ?? "index.html", context))
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(string file, HttpContext context)
    {
        if (!ContentTypes.TryGetValue(file, out var contentType)) return Results.NotFound();
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("dashboard/" + file);
        if (stream is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: "This build has no dashboard (built with SkipDashboard=true).");
        // Small files, rebuilt with the app: revalidate every time rather than risk a stale page after an upgrade.
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return Results.Stream(stream, contentType);
    }
}
