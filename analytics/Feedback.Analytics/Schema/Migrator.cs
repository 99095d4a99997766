using Feedback.Analytics.Store;

namespace Feedback.Analytics.Schema;

/// <summary>
/// Applies the numbered SQL files in Schema/Migrations (embedded) that the store has not seen yet, in order,
/// and records each in <c>schema_migrations</c>. Each file is idempotent (IF NOT EXISTS), so a crash between
/// applying and recording is harmless. A migration that plain DDL cannot make safe to stop and run again is a step
/// in C# (<see cref="Steps"/>), idempotent in the same way.
/// </summary>
public static class Migrator
{
    internal const string LedgerTable = "schema_migrations";

    // Its cluster form comes from Schema/Cluster like every migration's, so it stays a plain CREATE TABLE.
    internal const string CreateLedger = """
        CREATE TABLE IF NOT EXISTS schema_migrations
        (
            version UInt32,
            name String,
            applied_at DateTime64(3, 'UTC')
        )
        ENGINE = ReplacingMergeTree
        ORDER BY version
        """;

    // Migrations written in C#, numbered with the SQL files (declared before All, which reads it).
    private static readonly Migration[] Steps =
    [
        new(24, "0024_events_sort_key", [])
        {
            Step = (store, cancellationToken) => EventsSortKey.RebuildAsync(store, "events", cancellationToken),
            ClusterStatements = EventsSortKey.IndexChanges("events"),
        },
    ];

    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>Brings the schema up to date; returns the migrations it applied.</summary>
    public static async Task<IReadOnlyList<Migration>> MigrateAsync(IClickHouse store, CancellationToken cancellationToken = default)
    {
        await store.ExecuteAsync(CreateLedger, cancellationToken: cancellationToken).ConfigureAwait(false);
        var applied = (await store.QueryAsync<AppliedRow>("SELECT version FROM schema_migrations FINAL", cancellationToken: cancellationToken)
            .ConfigureAwait(false)).Select(r => r.Version).ToHashSet();
        var pending = All.Where(m => !applied.Contains(m.Version)).ToList();
        foreach (var migration in pending)
        {
            foreach (var statement in migration.Statements)
                await store.ExecuteAsync(statement, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (migration.Step is { } step) await step(store, cancellationToken).ConfigureAwait(false);
            await store.InsertAsync("schema_migrations",
                [new AppliedRow(migration.Version, migration.Name, DateTimeOffset.UtcNow)], cancellationToken).ConfigureAwait(false);
        }
        return pending;
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Migrations/", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = Path.GetFileNameWithoutExtension(n);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Migration(uint.Parse(name[..4], System.Globalization.CultureInfo.InvariantCulture), name, Split(reader.ReadToEnd()));
            })
            .Concat(Steps)
            .OrderBy(m => m.Version)
            .ToList();
    }

    // Migration files hold DDL only, so a semicolon at the end of a line always ends a statement.
    private static string[] Split(string sql) =>
        sql.Split(";\n", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.TrimEnd(';'))
            .Where(s => s.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .ToArray();

    private sealed record AppliedRow(uint Version, string? Name = null, DateTimeOffset? AppliedAt = null);
}
