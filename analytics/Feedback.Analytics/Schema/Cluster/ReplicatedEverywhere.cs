namespace Feedback.Analytics.Schema.Cluster;

/// <summary>
/// A small table kept whole on every node: one replica set across the cluster (the Keeper path names no shard), so
/// any node reads it locally, FINAL sees every version, and a write on one node reaches all. No Distributed table:
/// the application's name is the replicated table itself.
/// </summary>
public sealed class ReplicatedEverywhere(string why) : TablePlacement
{
    public override string Why { get; } = why;

    public override IEnumerable<string> Create(CreateTable table, ClusterName cluster)
    {
        // One replica set over all shards: a replica's name must be unique in the cluster, and {replica} alone may
        // repeat across shards in some configurations, so the shard is part of it.
        yield return table.Replicated(table.Name, cluster.OnCluster, $"/clickhouse/tables/all/{{database}}/{table.Name}", "{shard}-{replica}");
    }

    public override IEnumerable<string> Alter(AlterTable alter, ClusterName cluster)
    {
        // Once, from one node: a replicated ALTER reaches every replica through Keeper, and every node is a replica.
        // ON CLUSTER would run it once per shard, on the same table.
        yield return alter.On(alter.Name, "");
    }
}
