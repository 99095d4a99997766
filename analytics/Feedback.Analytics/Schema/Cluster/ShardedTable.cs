namespace Feedback.Analytics.Schema.Cluster;

/// <summary>
/// A table spread over the shards: <c>name_local</c> on every node (replicated within its shard) holds the rows, and
/// <c>name</c>, a Distributed table over them, is what the application reads and writes: it sends each inserted row
/// to the shard its sharding key picks and runs each read on every shard.
/// </summary>
public sealed class ShardedTable(string shardingKey, string why) : TablePlacement
{
    public const string LocalSuffix = "_local";

    /// <summary>An integer expression over the table's columns; the same value always picks the same shard.</summary>
    public string ShardingKey { get; } = shardingKey;

    public override string Why { get; } = why;

    /// <summary>
    /// The sorting key the table has now, when a later migration rebuilt it under another one than its CREATE names
    /// (a cluster starts empty, so it is created at the current key and the rebuild has nothing to move).
    /// </summary>
    public string? SortingKey { get; init; }

    public override IEnumerable<string> Create(CreateTable table, ClusterName cluster)
    {
        var local = table.Name + LocalSuffix;
        // {shard} and {replica} are each node's macros; {database} is expanded by the server.
        if (SortingKey is { } key) table = table.OrderedBy(key);
        yield return table.Replicated(local, cluster.OnCluster, $"/clickhouse/tables/{{shard}}/{{database}}/{local}", "{replica}");
        yield return $"CREATE TABLE IF NOT EXISTS {table.Name}{cluster.OnCluster} AS {local}\n"
            + $"ENGINE = Distributed({cluster.Literal}, currentDatabase(), {local}, {ShardingKey})";
    }

    public override IEnumerable<string> Alter(AlterTable alter, ClusterName cluster)
    {
        yield return alter.On(alter.Name + LocalSuffix, cluster.OnCluster);
        // The Distributed table keeps a column list of its own; indexes and mutations exist only on the local tables.
        if (alter.ChangesColumns) yield return alter.On(alter.Name, cluster.OnCluster);
    }
}
