namespace Feedback.Analytics.Projects;

/// <summary>
/// Web origins as browsers send them in the <c>Origin</c> header: <c>scheme://host[:port]</c>, lower case, the
/// default port left out. Keys store origins in this form, so checking a request is one exact comparison.
/// </summary>
public static class AllowedOrigins
{
    /// <summary>The origin in the browser's form; throws <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static string Normalize(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{origin}' is not an origin: give scheme, host and port only, e.g. https://chat.example.com", nameof(origin));
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new ArgumentException($"'{origin}' has more than an origin: leave out the path, query and user, e.g. {uri.Scheme}://{uri.Authority}", nameof(origin));
        // IdnHost: browsers send international host names in their punycode form.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : uri.IdnHost;
        return (uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}").ToLowerInvariant();
    }

    /// <summary>The origin in the browser's form, or null when it is not one (e.g. the <c>null</c> origin of a sandboxed frame).</summary>
    public static string? TryNormalize(string? origin)
    {
        if (string.IsNullOrWhiteSpace(origin)) return null;
        try
        {
            return Normalize(origin);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
