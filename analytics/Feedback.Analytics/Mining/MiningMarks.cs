using Feedback.Analytics.Store;

namespace Feedback.Analytics.Mining;

/// <summary>
/// High-water marks of the incremental stages after the signals job (table <c>mining_marks</c>, migration 0007): per
/// miner and shard (<see cref="MiningShards"/>), the newest <c>turn_signals.derived_at</c> already mined. A run takes
/// the turns derived after the lowest mark of its shards and up to the newest derived then (<see cref="WindowAsync"/>),
/// and advances its shards' marks only once its output is stored, so a run that fails is simply done again. One
/// constant bound per run, not a mark per project joined to every row: the bound lets the minmax index on
/// <c>derived_at</c> (0027) skip all that was mined before, where a per-project mark had every run read the column
/// of the whole table. Shard rows have project '' (no project is named so) and the miner, shard and count in
/// <c>miner</c>; a worker writes only the shards it holds, so two workers' marks never overwrite each other.
/// </summary>
public sealed class MiningMarks(IClickHouse store, TimeProvider clock)
{
    private static readonly DateTimeOffset Never = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// The window of <paramref name="miner"/>'s run over <paramref name="shards"/>: from the lowest of their marks (the
    /// beginning if one has none yet, as after a change of the shard count) to the newest signals of their projects now.
    /// Later rows wait for the next run.
    /// </summary>
    public async Task<MiningWindow> WindowAsync(string miner, MiningShards shards, CancellationToken cancellationToken = default)
    {
        var keys = Keys(miner, shards);
        var marks = await store.QueryAsync<MarkRow>("""
            SELECT miner, max(mark) AS mark FROM mining_marks
            WHERE project = '' AND miner IN {keys:Array(String)}
            GROUP BY miner
            """, new { keys }, cancellationToken).ConfigureAwait(false);
        var lower = marks.Count == keys.Count ? marks.Min(m => m.Mark) : Never;
        var upper = (await store.QueryAsync<UpperRow>("""
            SELECT greatest({lower:DateTime64(3, 'UTC')}, max(derived_at)) AS upper FROM turn_signals
            WHERE derived_at > {lower:DateTime64(3, 'UTC')} AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
            """, shards.With(new { lower }), cancellationToken).ConfigureAwait(false))[0].Upper;
        return new MiningWindow(lower, upper);
    }

    /// <summary>Records that <paramref name="miner"/> has mined the signals of <paramref name="shards"/> up to <paramref name="upper"/>.</summary>
    public Task AdvanceAsync(string miner, DateTimeOffset upper, MiningShards shards, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return store.InsertAsync("mining_marks", Keys(miner, shards).Select(key => new MarkRow(key, upper) { UpdatedAt = now }).ToList(), cancellationToken);
    }

    /// <summary>The <c>miner</c> value of the mark of <paramref name="miner"/> on one shard.</summary>
    public static string Key(string miner, uint shard, uint count) => $"{miner} {shard}/{count}";

    private static List<string> Keys(string miner, MiningShards shards) => shards.Held.Select(s => Key(miner, s, shards.Count)).ToList();

    private sealed record MarkRow(string Miner, DateTimeOffset Mark)
    {
        public string Project { get; init; } = "";

        public DateTimeOffset UpdatedAt { get; init; }
    }

    private sealed record UpperRow(DateTimeOffset Upper);
}
