using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Feedback.Server.Auth;

/// <summary>
/// Requires a write key and makes the key's project the request's project. A key only ever writes to its own project.
/// The key is <c>Authorization: Bearer &lt;key&gt;</c>, or, for web pages, the <c>key</c> query parameter
/// (<c>navigator.sendBeacon</c> and CORS preflights cannot send headers; a write key only adds events, so it may
/// sit in a page and a URL). A request with an <c>Origin</c> header (a browser's) must come from one of the key's
/// allowed origins, else 403; an allowed one gets <c>Access-Control-Allow-Origin</c> (docs/browser.md).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class WriteKeyAttribute() : ProjectKeyAttribute(Feedback.Analytics.Projects.KeyKind.Write)
{
    private const string KeyInQueryItem = "feedback.key-in-query";

    /// <summary>The query parameter a web page sends its write key in.</summary>
    public const string KeyParameter = "key";

    /// <summary>Whether the request's key came in the query (the browser path), where a <c>text/plain</c> body is accepted too.</summary>
    public static bool KeyInQuery(HttpContext context) => context.Items.ContainsKey(KeyInQueryItem);

    protected override string? KeyOf(HttpContext context)
    {
        if (base.KeyOf(context) is { } bearer) return bearer;
        var query = context.Request.Query[KeyParameter];
        if (query.Count != 1 || string.IsNullOrWhiteSpace(query[0])) return null;
        context.Items[KeyInQueryItem] = true;
        return query[0]!.Trim();
    }

    protected override ObjectResult? Admit(HttpContext context, Feedback.Analytics.Projects.KeyGrant grant)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return null; // not a browser: server clients send no Origin
        if (!grant.AllowsOrigin(origin))
        {
            return Problem(StatusCodes.Status403Forbidden, grant.Origins.Count == 0
                ? $"Origin '{origin}' may not send with this key: it is open to no web origin. Create a key for the page with 'feedback project key create {grant.Project} --origin <origin>'."
                : $"Origin '{origin}' may not send with this key; it is open to {string.Join(", ", grant.Origins)}.");
        }
        context.Response.Headers.AccessControlAllowOrigin = origin;
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        return null;
    }
}
