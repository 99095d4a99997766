using System.Globalization;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Schema;

/// <summary>
/// Migration 0024: rebuilds the events table sorted by (project, conversation_id, turn_id, event_id) instead of
/// (project, event_id), with a minmax index on received_at (docs/architecture.md, "Schema"). ClickHouse cannot
/// change a sorting key in place, so the rows are copied into a new table, which then takes the old one's place.
/// <para>
/// Safe to stop anywhere and run again; each step reads the state it left: a table's sorting key in system.tables
/// says whether the swap happened, and a partition whose row count in the new table equals its distinct events in
/// the old one is copied (a partition is dropped from the new table and copied again otherwise). The old rows are
/// kept until every event in them is found in the new table, so rows written to the old table during the copy
/// (a process of the previous version still running) are carried over before it is dropped.
/// </para>
/// </summary>
public static class EventsSortKey
{
    /// <summary>The new sorting key, as system.tables spells it.</summary>
    public const string SortingKey = "project, conversation_id, turn_id, event_id";

    /// <summary>Runs every step that is not done yet.</summary>
    public static async Task RebuildAsync(IClickHouse store, string table = "events", CancellationToken cancellationToken = default)
    {
        if (await SortingKeyAsync(store, table, cancellationToken).ConfigureAwait(false) != SortingKey)
        {
            await CreateAsync(store, table, cancellationToken).ConfigureAwait(false);
            await CopyAsync(store, table, cancellationToken).ConfigureAwait(false);
            await SwapAsync(store, table, cancellationToken).ConfigureAwait(false);
        }
        await FinishAsync(store, table, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The table that is built beside <paramref name="table"/>, and after the swap holds its old rows.</summary>
    public static string Beside(string table) => table + "_0024";

    /// <summary>Step 1: the new table, with the columns and indexes the old one has now, and the new key.</summary>
    public static async Task CreateAsync(IClickHouse store, string table, CancellationToken cancellationToken = default)
    {
        var beside = Beside(table);
        // Partitioned as before: by the event's own timestamp, so a re-delivered copy lands in the same partition
        // and FINAL (which does not merge across partitions, StoreSettings) still collapses it.
        await store.ExecuteAsync($"""
            CREATE TABLE IF NOT EXISTS {beside} AS {table}
            ENGINE = ReplacingMergeTree
            PARTITION BY toYYYYMM(timestamp)
            ORDER BY ({SortingKey})
            """, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var statement in IndexChanges(beside))
            await store.ExecuteAsync(statement, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The indexes that go with the new key. Parts are written in arrival order, so "received since" skips the
    /// granules of older parts; a conversation is now a range of the key, so its bloom filter (0019) would only cost
    /// writes. Also the cluster form of this migration: a cluster's events table is created with the new key
    /// (<see cref="Cluster.ClusterTables"/>), so only its indexes change.
    /// </summary>
    public static IReadOnlyList<string> IndexChanges(string table) =>
    [
        $"ALTER TABLE {table} ADD INDEX IF NOT EXISTS events_received_at received_at TYPE minmax GRANULARITY 1",
        $"ALTER TABLE {table} DROP INDEX IF EXISTS events_conversation_id",
    ];

    /// <summary>
    /// Step 2: copies each partition whose distinct events are not all in the new table yet, one partition per
    /// INSERT … SELECT, FINAL so that re-delivered copies arrive as one row.
    /// </summary>
    public static async Task CopyAsync(IClickHouse store, string table, CancellationToken cancellationToken = default)
    {
        var beside = Beside(table);
        var source = await DistinctRowsAsync(store, table, cancellationToken).ConfigureAwait(false);
        var copied = await PartRowsAsync(store, beside, cancellationToken).ConfigureAwait(false);
        foreach (var (partition, rows) in source)
        {
            if (copied.GetValueOrDefault(partition) == rows) continue;
            // A partition copied in part (stopped during its INSERT) is copied again from nothing.
            await store.ExecuteAsync($"ALTER TABLE {beside} DROP PARTITION ID '{Checked(partition)}'", cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            await store.ExecuteAsync($"INSERT INTO {beside} SELECT * FROM {table} FINAL WHERE _partition_id = {{partition:String}}",
                new { partition }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Step 3: the new table takes the old one's name in one step, and the old one the new one's.</summary>
    public static Task SwapAsync(IClickHouse store, string table, CancellationToken cancellationToken = default) =>
        store.ExecuteAsync($"EXCHANGE TABLES {table} AND {Beside(table)}", cancellationToken: cancellationToken);

    /// <summary>
    /// Step 4: carries over the events the old rows hold that the new table does not (written during the copy), then
    /// drops the old rows. Partition by partition, so the set of ids held for the comparison stays one partition's.
    /// </summary>
    public static async Task FinishAsync(IClickHouse store, string table, CancellationToken cancellationToken = default)
    {
        var old = Beside(table);
        if (await SortingKeyAsync(store, old, cancellationToken).ConfigureAwait(false) is null) return;
        foreach (var partition in (await DistinctRowsAsync(store, old, cancellationToken).ConfigureAwait(false)).Keys)
        {
            await store.ExecuteAsync($$"""
                INSERT INTO {{table}}
                SELECT * FROM {{old}} FINAL
                WHERE _partition_id = {partition:String}
                    AND (project, event_id) NOT IN (SELECT project, event_id FROM {{table}} WHERE _partition_id = {partition:String})
                """, new { partition }, cancellationToken).ConfigureAwait(false);
        }
        await store.ExecuteAsync($"DROP TABLE IF EXISTS {old}", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The table's sorting key as system.tables gives it, or null when there is no such table.</summary>
    public static async Task<string?> SortingKeyAsync(IClickHouse store, string table, CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<TableRow>(
            "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = {table:String}",
            new { table }, cancellationToken).ConfigureAwait(false)).SingleOrDefault()?.SortingKey;

    // Distinct events per partition (re-deliveries counted once), which is what a finished copy holds.
    private static async Task<Dictionary<string, long>> DistinctRowsAsync(IClickHouse store, string table, CancellationToken cancellationToken) =>
        (await store.QueryAsync<PartitionRow>($"SELECT _partition_id AS partition_id, count() AS rows FROM {table} FINAL GROUP BY partition_id",
            cancellationToken: cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.PartitionId, r => r.Rows);

    // Rows per partition from the parts' metadata: the new table holds no duplicates, since it is written only with FINAL reads.
    private static async Task<Dictionary<string, long>> PartRowsAsync(IClickHouse store, string table, CancellationToken cancellationToken) =>
        (await store.QueryAsync<PartitionRow>("""
            SELECT partition_id, sum(rows) AS rows FROM system.parts
            WHERE database = currentDatabase() AND table = {table:String} AND active
            GROUP BY partition_id
            """, new { table }, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.PartitionId, r => r.Rows);

    // Partition ids of toYYYYMM are digits; DROP PARTITION ID takes a literal, not a parameter.
    private static string Checked(string partition) =>
        partition.All(char.IsAsciiDigit) ? partition : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"unexpected partition id '{partition}'"));

    private sealed record TableRow(string SortingKey);

    private sealed record PartitionRow(string PartitionId, long Rows);
}
