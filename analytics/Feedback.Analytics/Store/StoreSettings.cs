namespace Feedback.Analytics.Store;

/// <summary>
/// ClickHouse settings every connection of either store runs with (the embedded engine's connections, and the
/// server store's queries), so both give the same answers at the same cost.
/// </summary>
public static class StoreSettings
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Reading a skip index with bulk filtering on can fail with "Cannot read all data"
        // (ClickHouse/ClickHouse#82283, open); our tables have minmax and bloom filter indexes (0015, 0019, 0024).
        ["secondary_indices_enable_bulk_filtering"] = "0",

        // FINAL need not merge rows of different partitions: only events is partitioned (by the month of its
        // timestamp), and a re-delivered event has the same timestamp, so its copies share a partition. Measured:
        // a full mining run at 1M turns took 53 s instead of 58 s (docs/benchmarks.md).
        ["do_not_merge_across_partitions_select_final"] = "1",

        // A CTE marked MATERIALIZED is run once into a temporary table; without this setting every reference to it runs
        // it again. The mining statements refer to their touched rows from several places: at 1M turns a full run read
        // every window several times over (docs/benchmarks.md).
        ["enable_materialized_cte"] = "1",
    };
}
