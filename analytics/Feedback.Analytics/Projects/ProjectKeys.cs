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
    private readonly ConcurrentDictionary<string, long> unknown = new(StringComparer.Ordinal); // hash → Environment.TickCount64 it is forgotten at

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

    public Task<string> CreateKeyAsync(string project, string kind, CancellationToken cancellationToken = default) =>
        InsertKeyAsync(project, kind, [], cancellationToken);

    /// <summary>
    /// Creates a write key that web pages on <paramref name="allowedOrigins"/> may send with (docs/browser.md); each
    /// origin is scheme, host and port, e.g. <c>https://chat.example.com</c>. Server clients can use it too.
    /// </summary>
    public Task<string> CreateWriteKeyAsync(string project, IEnumerable<string> allowedOrigins, CancellationToken cancellationToken = default)
    {
        var origins = allowedOrigins.Select(AllowedOrigins.Normalize).Distinct(StringComparer.Ordinal).ToList();
        return InsertKeyAsync(project, KeyKind.Write, origins, cancellationToken);
    }

    private async Task<string> InsertKeyAsync(string project, string kind, IReadOnlyList<string> origins, CancellationToken cancellationToken)
    {
        var key = KeyKind.Prefix(kind) + Base64Url(RandomNumberGenerator.GetBytes(24));
        await store.InsertAsync("api_keys", [new KeyRow(Hash(key), project, kind, DateTimeOffset.UtcNow, origins)], cancellationToken).ConfigureAwait(false);
        known[Hash(key)] = new KeyGrant(project, kind, origins);
        unknown.TryRemove(Hash(key), out _);
        return key;
    }

    /// <summary>The project a key grants <paramref name="kind"/> access to, or null for an unknown key or another kind.</summary>
    public async Task<string?> FindProjectAsync(string key, string kind, CancellationToken cancellationToken = default) =>
        await FindGrantAsync(key, cancellationToken).ConfigureAwait(false) is { } grant && grant.Kind == kind ? grant.Project : null;

    /// <summary>How long a key the store does not know is answered from memory (a key made by another process waits this long).</summary>
    public static readonly TimeSpan UnknownKeyMemory = TimeSpan.FromSeconds(60);

    // Bound on remembered unknown keys: a flood of random keys costs this much memory at most, then starts over.
    private const int MaxUnknownKeys = 100_000;

    /// <summary>The project, kind and allowed origins of a key, or null when the store does not know it. One store query per key at most a minute.</summary>
    public async Task<KeyGrant?> FindGrantAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = Hash(key);
        if (known.TryGetValue(hash, out var grant)) return grant;
        // Without this, every request with a made-up key costs a store query under the engine's one lock.
        if (unknown.TryGetValue(hash, out var until) && until > Environment.TickCount64) return null;
        var rows = await store.QueryAsync<KeyRow>(
            "SELECT key_hash, project, kind, created_at, allowed_origins FROM api_keys FINAL WHERE key_hash = {hash:String}", new { hash }, cancellationToken)
            .ConfigureAwait(false);
        if (rows.Count == 0)
        {
            if (unknown.Count >= MaxUnknownKeys) unknown.Clear();
            unknown[hash] = Environment.TickCount64 + (long)UnknownKeyMemory.TotalMilliseconds;
            return null;
        }
        return known[hash] = new KeyGrant(rows[0].Project, rows[0].Kind, rows[0].AllowedOrigins);
    }

    /// <summary>Whether the key is one this process has already seen to be valid (no store query).</summary>
    public bool IsKnown(string key) => known.ContainsKey(Hash(key));

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex ProjectName();

    private sealed record ProjectRow(string Name, DateTimeOffset? CreatedAt = null);

    private sealed record KeyRow(string KeyHash, string Project, string Kind, DateTimeOffset CreatedAt, IReadOnlyList<string> AllowedOrigins);

}
