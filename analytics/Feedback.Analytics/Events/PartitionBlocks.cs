using Feedback.Events;

namespace Feedback.Analytics.Events;

/// <summary>
/// Cuts events into insert blocks that each touch at most <see cref="MaxPartitionsPerInsert"/> month partitions of
/// the <c>events</c> table (<c>PARTITION BY toYYYYMM(timestamp)</c>, UTC). ClickHouse refuses a whole INSERT whose
/// block spans more (code 252, setting <c>max_partitions_per_insert_block</c>, default 100), and ingest accepts
/// timestamps from 2000 to now: one batch spreading its events over more than 100 months would otherwise be
/// refused forever, as a 503 in embedded mode and as a loader stuck on it in Kafka mode.
/// </summary>
public static class PartitionBlocks
{
    /// <summary>ClickHouse's default <c>max_partitions_per_insert_block</c>.</summary>
    public const int MaxPartitionsPerInsert = 100;

    /// <summary>The events in blocks of at most <paramref name="maxPartitions"/> months each; one block when they already fit.</summary>
    public static IReadOnlyList<IReadOnlyCollection<T>> Split<T>(IReadOnlyCollection<T> rows, Func<T, DateTimeOffset?> timestamp, int maxPartitions = MaxPartitionsPerInsert)
    {
        var byMonth = rows.GroupBy(r => Month(timestamp(r))).ToList();
        if (byMonth.Count <= maxPartitions) return [rows];
        return byMonth.OrderBy(g => g.Key).Chunk(maxPartitions).Select(months => (IReadOnlyCollection<T>)months.SelectMany(g => g).ToList()).ToList();
    }

    /// <summary>Blocks of events; see <see cref="Split{T}"/>.</summary>
    public static IReadOnlyList<IReadOnlyCollection<FeedbackEvent>> Split(IReadOnlyCollection<FeedbackEvent> events) => Split(events, e => e.Timestamp);

    private static int Month(DateTimeOffset? timestamp) => timestamp is { } t ? (t.UtcDateTime.Year * 100) + t.UtcDateTime.Month : 0;
}
