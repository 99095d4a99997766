namespace Feedback.Analytics.Projects;

/// <summary>
/// What a key grants: access of one kind (<see cref="KeyKind"/>) to one project, and the web origins a page may use it
/// from (<see cref="AllowedOrigins"/> form; empty: none, the key is for server clients only).
/// </summary>
public sealed record KeyGrant(string Project, string Kind, IReadOnlyList<string> Origins)
{
    /// <summary>Whether a page on <paramref name="origin"/> (an <c>Origin</c> header as sent) may use the key.</summary>
    public bool AllowsOrigin(string? origin) =>
        AllowedOrigins.TryNormalize(origin) is { } normalized && Origins.Contains(normalized, StringComparer.Ordinal);
}
