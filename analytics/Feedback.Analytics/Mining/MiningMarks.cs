using Feedback.Analytics.Store;

namespace Feedback.Analytics.Mining;

/// <summary>
/// High-water marks of the incremental pair miners (table <c>mining_marks</c>, migration 0007): per project and
/// miner, the newest <c>turn_signals.derived_at</c> already mined. A run takes the turns derived after its
/// project's mark and up to <see cref="UpperAsync"/> (fixed when the run starts), and advances the marks only
/// once its pairs are stored, so a run that fails is simply done again.
/// </summary>
public sealed class MiningMarks(IClickHouse store, TimeProvider clock)
{
    /// <summary>The newest signals there are now: this run mines up to here, later rows wait for the next run.</summary>
    public async Task<DateTimeOffset> UpperAsync(CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<UpperRow>("SELECT max(derived_at) AS upper FROM turn_signals", cancellationToken: cancellationToken)
            .ConfigureAwait(false))[0].Upper;

    /// <summary>
    /// Records that <paramref name="miner"/> has mined the signals of the projects of <paramref name="shards"/> up to
    /// <paramref name="upper"/>. Marks are per project, and a worker writes only its own shards' projects, so two
    /// workers' marks never overwrite each other.
    /// </summary>
    public Task AdvanceAsync(string miner, DateTimeOffset upper, MiningShards shards, CancellationToken cancellationToken = default) =>
        store.ExecuteAsync("""
            INSERT INTO mining_marks (project, miner, mark, updated_at)
            SELECT project, {miner:String}, max(derived_at), {now:DateTime64(3, 'UTC')}
            FROM turn_signals
            WHERE derived_at <= {upper:DateTime64(3, 'UTC')} AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
            GROUP BY project
            """, shards.With(new { miner, upper, now = clock.GetUtcNow() }), cancellationToken);

    private sealed record UpperRow(DateTimeOffset Upper);
}
