using System.Globalization;
using System.Text;

namespace Feedback.Analytics.Schema.Cluster;

/// <summary>
/// The schema's migrations in the form a self-managed ClickHouse cluster needs (docs/cluster.md): replicated local
/// tables and Distributed tables over them, <c>ON CLUSTER</c> where every node must run a statement. Each statement is rewritten by
/// its kind and its table's <see cref="TablePlacement"/>; a statement of another kind, or a table with no placement,
/// throws, so a new migration cannot slip into the layout unconsidered.
/// </summary>
public sealed class ClusterLayout(ClusterName cluster, IReadOnlyDictionary<string, TablePlacement> tables)
{
    public ClusterLayout(string cluster) : this(new ClusterName(cluster), ClusterTables.All)
    {
    }

    public ClusterName Cluster { get; } = cluster;

    /// <summary>The cluster form of one migration's statements, in order.</summary>
    public IReadOnlyList<string> Statements(Migration migration) =>
        (migration.ClusterStatements ?? (migration.Step is null ? migration.Statements
            : throw new NotSupportedException($"{migration.Name}: a step in C# has no cluster form; give it ClusterStatements.")))
        .SelectMany(s => Statement(migration, s)).ToList();

    /// <summary>
    /// A script for clickhouse-client (<c>--multiquery</c>): the migration ledger, then every migration with the row
    /// that records it, so the application's <see cref="Migrator"/> finds them applied and leaves the cluster's
    /// schema alone.
    /// </summary>
    public string Script(IReadOnlyList<Migration> migrations)
    {
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"-- Feedback schema for cluster '{Cluster.Name}' (docs/cluster.md). Run once, from any node.\n");
        Append(script, "ledger", Statement(null, Migrator.CreateLedger));
        foreach (var migration in migrations)
        {
            Append(script, migration.Name, Statements(migration));
            Append(script, null, [Recorded(migration)]);
        }
        return script.ToString();
    }

    /// <summary>The row <see cref="Migrator"/> writes once a migration is applied.</summary>
    public static string Recorded(Migration migration) =>
        $"INSERT INTO {Migrator.LedgerTable} (version, name, applied_at) VALUES ({migration.Version.ToString(CultureInfo.InvariantCulture)}, '{migration.Name}', now64(3, 'UTC'))";

    private IEnumerable<string> Statement(Migration? migration, string statement)
    {
        var sql = WithoutLeadingComments(statement);
        if (CreateTable.TryParse(sql) is { } create) return Placement(create.Name, migration).Create(create, Cluster);
        if (AlterTable.TryParse(sql) is { } alter) return Placement(alter.Name, migration).Alter(alter, Cluster);
        // A data migration runs once, from one node, through the Distributed tables, which carry the same names as
        // the single-node tables: it reads every shard and its rows go where the sharding key sends them.
        if (sql.StartsWith("INSERT INTO ", StringComparison.Ordinal)) return [sql];
        throw new NotSupportedException($"{migration?.Name ?? "ledger"}: no cluster form for this statement; write one by hand:\n{sql}");
    }

    private TablePlacement Placement(string table, Migration? migration) =>
        tables.TryGetValue(table, out var placement)
            ? placement
            : throw new NotSupportedException($"{migration?.Name ?? "ledger"}: table '{table}' has no cluster placement (Schema/Cluster/ClusterTables.cs).");

    private void Append(StringBuilder script, string? heading, IEnumerable<string> statements)
    {
        if (heading is not null) script.Append(CultureInfo.InvariantCulture, $"\n-- {heading}\n");
        foreach (var statement in statements)
        {
            // A table's reason goes above its first CREATE (the local table's, when it is sharded).
            if (CreatedTable(statement) is { } table && tables.TryGetValue(table, out var placement))
                script.Append(CultureInfo.InvariantCulture, $"-- {table}: {placement.Why}\n");
            script.Append(statement).Append(";\n");
        }
    }

    // The application's name of the table a generated CREATE makes, unless it is the Distributed one (said already).
    private static string? CreatedTable(string statement)
    {
        const string head = "CREATE TABLE IF NOT EXISTS ";
        if (!statement.StartsWith(head, StringComparison.Ordinal) || statement.Contains("ENGINE = Distributed(", StringComparison.Ordinal)) return null;
        var name = statement[head.Length..].Split(' ', '\n')[0];
        return name.EndsWith(ShardedTable.LocalSuffix, StringComparison.Ordinal) ? name[..^ShardedTable.LocalSuffix.Length] : name;
    }

    private static string WithoutLeadingComments(string statement) =>
        string.Join('\n', statement.Split('\n').SkipWhile(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal) || l.Trim().Length == 0)).Trim();
}
