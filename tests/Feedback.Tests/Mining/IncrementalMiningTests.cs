using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Events;
using Feedback.Simulation;

namespace Feedback.Tests.Mining;

/// <summary>
/// Issue 15: every stage of a mining run reads only the rows of new or touched turns. Measured with the engine's own
/// counter of rows read from storage (<see cref="Feedback.Analytics.Store.ChDb.ChDbEngine.RowsRead"/>), stage by stage,
/// on a store where nothing changed since the last run but one new conversation.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class IncrementalMiningTests(EmbeddedStore store)
{
    // Every stage but the reaction predictor's scores (which only projects with a trained predictor have, none here) and
    // the most rows each may read, as a share of a full run's. A stage finds its new work by constant bounds and keys
    // (docs/mining.md, "Incremental runs"), so what it reads beyond the new rows is a granule or two of each table: the
    // newest (the lookback's events, the rows written last) and those of the touched keys. The same-request miner's
    // touched keys are the new answers' requests, and it reads every stored answer to them: found by the key
    // (project, request_key), a granule of 8,192 rows, here all of the project's ~7,000 judged answers.
    private static readonly Dictionary<string, double> Bounds = new()
    {
        ["signals per turn"] = 0.1,
        ["unpaired labels"] = 0.1,
        ["edit pairs"] = 0.1,
        ["choice pairs"] = 0.1,
        ["regenerate pairs"] = 0.1,
        ["follow-up pairs"] = 0.1,
        ["same-request pairs"] = 0.25,
    };

    // Merging parts moves rows between granules at the engine's leisure, so the tables' parts stay as written while the
    // runs are measured (a store of this size is a few granules; at scale a merged part still costs a granule or two).
    private static readonly string[] Tables = ["events", "text_signals", "turn_signals", "turn_labels", "judged_answers", "pairs"];

    private const uint ShardCount = 1 << 16;

    [Fact]
    public async Task After_one_new_conversation_every_stage_reads_a_small_fraction_of_what_a_full_run_reads()
    {
        // A name that sorts after the other tests' projects, as a store's newest project's may: the shared store holds
        // hundreds of small parts of small projects (many month partitions each), and a lookup by key reads a granule of
        // every part whose key range spans the project's, a cost of the other tests' parts and not of this project's
        // new rows, which at this project's size (10,000 turns) was a fifth to a third of its full run's reads.
        var project = "zz-" + Guid.NewGuid().ToString("N")[..12];
        var job = MiningJob.Over(store.Engine, TimeProvider.System); // one job for every run, as the host keeps
        // The runs cover the project's shard of many, as a distributed worker's do, so that what other tests left in the
        // shared store (events stamped in the future, reviews that relabel on every run) is not this store's new work;
        // every statement still reads the shared tables, so a scan of a whole table would still show.
        var shards = new MiningShards(ShardCount, [await ShardAsync(project)]);
        await job.RunAsync(shards, stageDone: null); // whatever other tests left unmined there
        // Another shard's project that no run has read, as a worker sees before the worker holding its shard has mined it
        // (and as the other tests' projects are): learning that it is not this shard's must not cost reading its events.
        var other = "t-" + Guid.NewGuid().ToString("N")[..12];
        while (await ShardAsync(other) == shards.Held[0]) other = "t-" + Guid.NewGuid().ToString("N")[..12];
        await new EventStore(store.Engine).AppendAsync(Simulated(other, seed: 6, conversations: 2_000, DateTimeOffset.UtcNow.AddDays(-1)));
        foreach (var table in Tables) await store.Engine.ExecuteAsync($"SYSTEM STOP MERGES {table}");
        try
        {
            // Simulated conversations (turns, reactions, edits, regenerates, choices, follow-ups), received an hour ago but
            // the last few, received a minute ago: the signals job reads the events received in the last 10 minutes
            // before its mark again (TurnSignalsJob.Lookback), so those are read again by the incremental run, as in a store
            // mined every 30 seconds. Each seed's conversation ids sort after the seed before's, as the SDK's time-ordered
            // ids sort after older ones.
            var now = DateTimeOffset.UtcNow;
            var early = Simulated(project, seed: 7, conversations: 3_000, now.AddDays(-20));
            var late = Simulated(project, seed: 8, conversations: 5, now.AddHours(-1));
            foreach (var e in early) e.ReceivedAt = now.AddHours(-1);
            foreach (var e in late) e.ReceivedAt = now.AddMinutes(-1);
            await new EventStore(store.Engine).AppendAsync(early);
            await new EventStore(store.Engine).AppendAsync(late);
            var full = await RowsReadPerStageAsync(job, shards);

            // One new conversation, one with every kind of feedback the simulator gives, received now.
            var fresh = Simulated(project, seed: 9, conversations: 200, now.AddMinutes(-5))
                .GroupBy(e => e.ConversationId).MaxBy(c => c.Select(e => e.Kind).Distinct().Count())!.ToList();
            foreach (var e in fresh) e.ReceivedAt = DateTimeOffset.UtcNow;
            await new EventStore(store.Engine).AppendAsync(fresh);
            var incremental = await RowsReadPerStageAsync(job, shards);

            var report = string.Join("; ", full.Keys.Select(s => $"{s}: {incremental[s]:N0} of {full[s]:N0}"));
            Assert.True(full["signals per turn"] > 10_000, report); // a store worth measuring against
            foreach (var (stage, bound) in Bounds)
                Assert.True(incremental[stage] < bound * full[stage], $"{stage} read {incremental[stage]:N0} rows, a full run {full[stage]:N0} ({report})");
        }
        finally
        {
            foreach (var table in Tables) await store.Engine.ExecuteAsync($"SYSTEM START MERGES {table}");
        }
    }

    private async Task<uint> ShardAsync(string project) => (await store.Engine.QueryAsync<ShardRow>(
        "SELECT toUInt32(cityHash64({project:String}) % {count:UInt32}) AS shard", new { project, count = ShardCount }))[0].Shard;

    private static List<FeedbackEvent> Simulated(string project, int seed, int conversations, DateTimeOffset start) =>
        ConversationSimulator.Run(new SimulationOptions { Seed = seed, Conversations = conversations, Project = project, Start = start }).Events.ToList();

    /// <summary>One mining run; the rows the engine read from storage in each stage.</summary>
    private async Task<Dictionary<string, long>> RowsReadPerStageAsync(MiningJob job, MiningShards shards)
    {
        var rows = new Dictionary<string, long>();
        var before = store.Engine.RowsRead;
        await job.RunAsync(shards, (stage, _) =>
        {
            rows[stage] = store.Engine.RowsRead - before;
            before = store.Engine.RowsRead;
        });
        return rows;
    }

    private sealed record ShardRow(uint Shard);
}
