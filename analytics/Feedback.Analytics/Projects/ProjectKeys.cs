using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Projects;

/// <summary>
/// Projects and their API keys. A key is shown once, when it is made; the store keeps only its SHA-256
/// hash. Keys are long random strings, so a plain hash is enough (no salt or stretching needed).
/// </summary>
public sealed partial class ProjectKeys(IClickHouse store)
{
    public const string DefaultProject = "default";

    private readonly ConcurrentDictionary<string, KeyGrant> known = new(StringComparer.Ordinal);

    /// <summary>Creates a project and returns its first write key. Fails if the project exists.</summary>
    public async Task<string> CreateProjectAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!ProjectName().IsMatch(name))
            throw new ArgumentException("a project name is 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit", nameof(name));
        if (await ExistsAsync(name, cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException($"project '{name}' already exists");
        await store.InsertAsync("projects", [new ProjectRow(name, DateTimeOffset.UtcNow)], cancellationToken).ConfigureAwait(false);
        return await CreateKeyAsync(name, KeyKind.Write, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the <c>default</c> project on first start; returns its write key then, null afterwards.</summary>
    public async Task<string?> EnsureDefaultProjectAsync(CancellationToken cancellationToken = default) =>
        await ExistsAsync(DefaultProject, cancellationToken).ConfigureAwait(false)
            ? null
            : await CreateProjectAsync(DefaultProject, cancellationToken).ConfigureAwait(false);

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<ProjectRow>("SELECT name FROM projects FINAL WHERE name = {name:String}", new { name }, cancellationToken)
            .ConfigureAwait(false)).Count > 0;

    public async Task<string> CreateKeyAsync(string project, string kind, CancellationToken cancellationToken = default)
    {
        var key = KeyKind.Prefix(kind) + Base64Url(RandomNumberGenerator.GetBytes(24));
        await store.InsertAsync("api_keys", [new KeyRow(Hash(key), project, kind, DateTimeOffset.UtcNow)], cancellationToken).ConfigureAwait(false);
        known[Hash(key)] = new KeyGrant(project, kind);
        return key;
    }

    /// <summary>The project a key grants <paramref name="kind"/> access to, or null for an unknown key or another kind.</summary>
    public async Task<string?> FindProjectAsync(string key, string kind, CancellationToken cancellationToken = default)
    {
        var hash = Hash(key);
        if (!known.TryGetValue(hash, out var grant))
        {
            var rows = await store.QueryAsync<KeyRow>(
                "SELECT key_hash, project, kind, created_at FROM api_keys FINAL WHERE key_hash = {hash:String}", new { hash }, cancellationToken)
                .ConfigureAwait(false);
            if (rows.Count == 0) return null;
            grant = known[hash] = new KeyGrant(rows[0].Project, rows[0].Kind);
        }
        return grant.Kind == kind ? grant.Project : null;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex ProjectName();

    private sealed record ProjectRow(string Name, DateTimeOffset? CreatedAt = null);

    private sealed record KeyRow(string KeyHash, string Project, string Kind, DateTimeOffset CreatedAt);

    private sealed record KeyGrant(string Project, string Kind);
}

/// <summary>What a key may do. Write keys send events; read keys read (export). Neither does the other.</summary>
public static class KeyKind
{
    public const string Write = "write";
    public const string Read = "read";

    public static string Prefix(string kind) => kind switch
    {
        Write => "fbw_",
        Read => "fbr_",
        _ => "fb" + kind[0] + "_",
    };
}
