namespace Feedback.Analytics.Schema.Cluster;

/// <summary>
/// Where a table's rows live on a cluster, and so what its migrations become there. Every placement keeps all
/// versions of a ReplacingMergeTree row on one shard: FINAL collapses versions within a shard only.
/// </summary>
public abstract class TablePlacement
{
    /// <summary>Why the table is placed so, one line; the generated script prints it above the table.</summary>
    public abstract string Why { get; }

    /// <summary>The cluster form of the table's <c>CREATE TABLE</c>.</summary>
    public abstract IEnumerable<string> Create(CreateTable table, ClusterName cluster);

    /// <summary>The cluster form of an <c>ALTER TABLE</c> of the table.</summary>
    public abstract IEnumerable<string> Alter(AlterTable alter, ClusterName cluster);
}
