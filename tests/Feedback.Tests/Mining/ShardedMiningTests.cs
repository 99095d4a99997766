using System.Collections.Concurrent;
using System.Diagnostics;
using Feedback.Analytics.Events;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;
using Feedback.Server.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Feedback.Tests.Mining;

/// <summary>
/// Workers sharing the mining by Kafka's group assignment (<see cref="ShardedMining"/>), on librdkafka's mock cluster
/// (real protocol on 127.0.0.1) and the real embedded engine. Each test has a cluster of its own.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class ShardedMiningTests(EmbeddedStore store, ITestOutputHelper output) : IDisposable
{
    private const int Shards = 8;
    // The mock broker waits a second less than this for members to rejoin in a rebalance, and a member gives its shards
    // up only once the statement its run is in has ended; shorter would drop busy workers from the group on 2 cores.
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(10);

    private readonly MockKafkaCluster cluster = StartCluster();
    private readonly ConcurrentBag<(int Worker, MiningShards Shards, long Start, long End)> runs = [];

    private ITestOutputHelper Output => output;

    private KafkaOptions Kafka => new() { BootstrapServers = cluster.BootstrapServers, MinerSessionTimeout = SessionTimeout };

    private static MockKafkaCluster StartCluster()
    {
        var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic(new KafkaOptions().MiningTopic, Shards);
        return cluster;
    }

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task A_run_over_some_shards_mines_and_marks_only_their_projects()
    {
        var projects = Enumerable.Range(0, 6).Select(i => $"shard-{Guid.NewGuid():N}-{i}").ToList();
        await new EventStore(store.Engine).AppendAsync(projects.SelectMany(p => ProjectEvents(p, NewIds())).ToList());
        var shardOf = await ShardOfAsync(projects, Shards);
        var mine = new MiningShards(Shards, shardOf.Values.Take(1));
        // Every project's signals are there already (as other workers derive them for their shards), so the pair
        // miners' own shard conditions and marks are what keep this run to its shards.
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();
        var miners = new[] { PairSources.Edit, PairSources.Regenerate, PairSources.Choice, PairSources.FollowUp, PairSources.SameRequest };
        var marksBefore = await MarksAsync(miners);

        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync(mine, stageDone: null);

        var pairs = await PairsAsync(projects);
        var expected = projects.Where(p => mine.Held.Contains(shardOf[p])).Order().ToList();
        Assert.Equal(expected, pairs.Select(p => p.Project).Distinct().Order().ToList());
        Assert.Equal([PairSources.Choice, PairSources.Edit, PairSources.Regenerate, PairSources.SameRequest],
            pairs.Select(p => p.Source).Distinct().Order().ToList());
        // Every incremental miner's marks, the edit and regenerate miners' too, advance only the held shards' (a mark per
        // miner and shard: MiningMarks).
        var marksAfter = await MarksAsync(miners);
        foreach (var miner in miners)
        {
            var advanced = Enumerable.Range(0, (int)Shards).Select(s => (uint)s)
                .Where(s => marksAfter.GetValueOrDefault(MiningMarks.Key(miner, s, Shards)) != marksBefore.GetValueOrDefault(MiningMarks.Key(miner, s, Shards)))
                .ToList();
            Assert.True(mine.Held.SequenceEqual(advanced), $"{miner} advanced shards {string.Join(", ", advanced)}, not {string.Join(", ", mine.Held)}");
        }
    }

    private async Task<Dictionary<string, DateTimeOffset>> MarksAsync(IEnumerable<string> miners)
    {
        var keys = miners.SelectMany(m => Enumerable.Range(0, (int)Shards).Select(s => MiningMarks.Key(m, (uint)s, Shards))).ToList();
        return (await store.Engine.QueryAsync<MarkRow>(
            "SELECT miner, max(mark) AS mark FROM mining_marks WHERE project = '' AND miner IN {keys:Array(String)} GROUP BY miner", new { keys }))
            .ToDictionary(r => r.Miner, r => r.Mark);
    }

    private sealed record MarkRow(string Miner, DateTimeOffset Mark);

    [Fact]
    public async Task Three_workers_hold_disjoint_shards_covering_all_and_mine_what_one_worker_mines()
    {
        // The same events in two sets of projects (new event ids: an event's identity is its id), compared by what the
        // pairs say.
        var reference = Enumerable.Range(0, 12).Select(i => $"one-{Guid.NewGuid():N}-{i}").ToList();
        var shared = Enumerable.Range(0, 12).Select(i => $"three-{Guid.NewGuid():N}-{i}").ToList();
        await new EventStore(store.Engine).AppendAsync(reference.SelectMany(p => ProjectEvents(p, NewIds())).ToList());
        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync(); // one worker, every shard

        await using var workers = new Workers(this, store.Engine, 3);
        await Eventually.TrueAsync(() => Task.FromResult(workers.Settled(3)), "three workers hold disjoint shards covering all"); // setup, not the claim
        await new EventStore(store.Engine).AppendAsync(shared.SelectMany(p => ProjectEvents(p, NewIds())).ToList());

        var expected = (await PairsAsync(reference)).Select(p => (Index: reference.IndexOf(p.Project), p.Source, p.TurnId, p.Chosen, p.Rejected)).Order().ToList();
        Assert.NotEmpty(expected);
        await Eventually.TrueAsync(async () => (await PairsAsync(shared)).Count >= expected.Count, "the workers mined the shared projects");
        var mined = (await PairsAsync(shared)).Select(p => (Index: shared.IndexOf(p.Project), p.Source, p.TurnId, p.Chosen, p.Rejected)).Order().ToList();
        Assert.Equal(expected, mined);
        var rows = await store.Engine.QueryAsync<CountRow>(
            "SELECT count() AS rows, uniqExact(project, pair_id) AS distinct_rows FROM pairs WHERE project IN {projects:Array(String)}", new { projects = shared });
        Assert.Equal(rows[0].DistinctRows, rows[0].Rows); // each pair written once: no project was mined by two workers
        AssertNoShardMinedByTwoAtOnce();
    }

    [Fact]
    public async Task When_a_worker_stops_the_other_takes_over_its_shards_within_the_session_timeout()
    {
        await using var workers = new Workers(this, store.Engine, 2);
        // Setting up, not the claim (the takeover below is bounded by the session timeout): the group's first
        // assignment can take several rebalances on a loaded machine, so wait as long as any setup does.
        await Eventually.TrueAsync(() => Task.FromResult(workers.Settled(2)), "two workers hold disjoint shards covering all");
        var leaving = workers.Held(0)!;

        var stopped = Stopwatch.StartNew();
        await workers.StopAsync(0);
        await Eventually.TrueAsync(() => Task.FromResult(workers.Held(1)?.Held.Count == Shards), "the other worker holds every shard", SessionTimeout);
        var tookOver = stopped.Elapsed;

        // New work in the stopped worker's shards is mined by the one left.
        var projects = Enumerable.Range(0, 24).Select(i => $"handover-{Guid.NewGuid():N}-{i}").ToList();
        var shardOf = await ShardOfAsync(projects, Shards);
        var orphaned = projects.Where(p => leaving.Held.Contains(shardOf[p])).ToList();
        Assert.NotEmpty(orphaned);
        await new EventStore(store.Engine).AppendAsync(orphaned.SelectMany(p => ProjectEvents(p, NewIds())).ToList());
        await Eventually.TrueAsync(async () => (await PairsAsync(orphaned)).Select(p => p.Project).Distinct().Count() == orphaned.Count,
            "the worker left mined the stopped worker's projects");
        output.WriteLine($"shards {leaving} taken over {tookOver.TotalMilliseconds:0} ms after their worker stopped (session timeout {SessionTimeout.TotalSeconds:0} s)");
        AssertNoShardMinedByTwoAtOnce();
    }

    [Fact]
    public async Task When_a_worker_goes_silent_without_leaving_the_other_takes_over_its_shards_after_the_session_timeout()
    {
        // A static member does not leave the group when it stops: to the broker it is a worker that died, dropped only
        // when its session times out.
        await using var workers = new Workers(this, store.Engine, 2, staticFirst: true);
        await Eventually.TrueAsync(() => Task.FromResult(workers.Settled(2)), "two workers hold disjoint shards covering all"); // setup, not the claim

        var silent = Stopwatch.StartNew();
        await workers.StopAsync(0);
        Assert.NotEqual(Shards, workers.Held(1)?.Held.Count); // not handed over at once: the group still counts the silent one
        await Eventually.TrueAsync(() => Task.FromResult(workers.Held(1)?.Held.Count == Shards), "the other worker holds every shard", SessionTimeout * 3);
        output.WriteLine($"shards taken over {silent.ElapsedMilliseconds} ms after their worker went silent (session timeout {SessionTimeout.TotalSeconds:0} s)");
        Assert.True(silent.Elapsed >= SessionTimeout - TimeSpan.FromSeconds(1), $"taken over after {silent.Elapsed}, before the session timeout");
        AssertNoShardMinedByTwoAtOnce();
    }

    [Fact]
    public async Task A_worker_host_with_kafka_mines_the_shards_the_group_gives_it()
    {
        await using var worker = await FeedbackHost.StartAsync(
            new FeedbackHostOptions { Port = 0, Capture = false, MineEvery = TimeSpan.FromMilliseconds(200) }, store.Engine, TextWriter.Null,
            [new("Feedback:Kafka:BootstrapServers", cluster.BootstrapServers), new("Feedback:Kafka:MinerSessionTimeout", SessionTimeout.ToString())]);
        var mining = worker.Services.GetRequiredService<ShardedMining>();
        await Eventually.TrueAsync(() => Task.FromResult(mining.Held?.Held.Count == Shards), "the worker holds every shard", SessionTimeout * 3);

        var project = $"host-{Guid.NewGuid():N}";
        await new EventStore(store.Engine).AppendAsync(ProjectEvents(project, NewIds()));
        await Eventually.TrueAsync(async () => (await PairsAsync([project])).Count > 0, "the worker host mined the project");
    }

    /// <summary>No two runs of different workers that share a shard overlap in time.</summary>
    private void AssertNoShardMinedByTwoAtOnce()
    {
        var all = runs.ToList();
        Assert.NotEmpty(all);
        foreach (var a in all)
        {
            foreach (var b in all.Where(b => b.Worker > a.Worker && b.Shards.Held.Intersect(a.Shards.Held).Any()))
                Assert.True(a.End <= b.Start || b.End <= a.Start, $"worker {a.Worker} ({a.Shards}) and worker {b.Worker} ({b.Shards}) mined at once");
        }
    }

    private async Task<IReadOnlyList<PairRow>> PairsAsync(IReadOnlyList<string> projects) =>
        await store.Engine.QueryAsync<PairRow>(
            "SELECT project, pair_id, source, turn_id, chosen, rejected FROM pairs FINAL WHERE project IN {projects:Array(String)}", new { projects });

    private async Task<Dictionary<string, uint>> ShardOfAsync(IReadOnlyList<string> projects, uint count) =>
        (await store.Engine.QueryAsync<ShardRow>(
            "SELECT arrayJoin({projects:Array(String)}) AS project, toUInt32(cityHash64(project) % {count:UInt32}) AS shard", new { projects, count }))
            .ToDictionary(r => r.Project, r => r.Shard);

    private static Guid[] NewIds() => Enumerable.Range(0, 13).Select(_ => Guid.CreateVersion7()).ToArray();

    /// <summary>
    /// An edit, a choice of two answers, one request answered twice with opposite thumbs, and a regenerate whose new
    /// answer got a thumb up: four pair sources.
    /// </summary>
    private static List<FeedbackEvent> ProjectEvents(string project, Guid[] ids)
    {
        var n = 0;
        FeedbackEvent With(FeedbackEvent e)
        {
            e.EventId = ids[n++];
            return e;
        }

        var at = DateTimeOffset.UtcNow;
        return
        [
            With(StoredEvents.Turn(project, "t1", at)),
            With(StoredEvents.FeedbackOn(project, EventKinds.Edit, "t1", e => e.EditedResponse = "Canberra is the capital of Australia.", at)),
            With(StoredEvents.Turn(project, "t2", at, prompt: "Name a colour.", response: "Red.")),
            With(StoredEvents.Turn(project, "t3", at, prompt: "Name a colour.", response: "Blue.")),
            With(StoredEvents.FeedbackOn(project, EventKinds.Choice, "t2", e =>
            {
                e.ChosenTurnId = "t2";
                e.AlternativeTurnIds = ["t2", "t3"];
            }, at)),
            With(StoredEvents.Turn(project, "t4", at, prompt: "What is 2 + 2?", response: "4", userId: "u1")),
            With(StoredEvents.FeedbackOn(project, EventKinds.Reaction, "t4", e => e.Thumb = "up", at)),
            With(StoredEvents.Turn(project, "t5", at, prompt: "What is 2 + 2?", response: "5", userId: "u2")),
            With(StoredEvents.FeedbackOn(project, EventKinds.Reaction, "t5", e => e.Thumb = "down", at)),
            With(StoredEvents.Turn(project, "t6", at, prompt: "Say hello.", response: "Hello.")),
            With(StoredEvents.FeedbackOn(project, EventKinds.Regenerate, "t6", e => e.NewTurnId = "t7", at)),
            With(StoredEvents.Turn(project, "t7", at, prompt: "Say hello.", response: "Hello there, nice to meet you!")),
            With(StoredEvents.FeedbackOn(project, EventKinds.Reaction, "t7", e => e.Thumb = "up", at)),
        ];
    }

    /// <summary>Workers in this process, each with a mining job of its own, recording every run they make.</summary>
    private sealed class Workers : IAsyncDisposable
    {
        private readonly List<(ShardedMining Mining, CancellationTokenSource Stop, Task Running)> workers = [];

        public Workers(ShardedMiningTests test, IClickHouse engine, int count, bool staticFirst = false)
        {
            for (var w = 0; w < count; w++)
            {
                var worker = w;
                var options = test.Kafka with { MinerInstanceId = staticFirst && w == 0 ? "worker-0" : "" };
                var mining = new ShardedMining(options, new OutputLogger(test.Output, worker));
                var job = MiningJob.Over(engine, TimeProvider.System);
                var stop = new CancellationTokenSource();
                workers.Add((mining, stop, mining.RunAsync(TimeSpan.FromMilliseconds(100), async (shards, cancellationToken) =>
                {
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        await job.RunAsync(shards, stageDone: null, cancellationToken);
                    }
                    finally
                    {
                        test.runs.Add((worker, shards, start, Stopwatch.GetTimestamp()));
                    }
                }, stop.Token)));
            }
        }

        public MiningShards? Held(int worker) => workers[worker].Mining.Held;

        /// <summary>Every one of the first <paramref name="count"/> workers holds shards, none twice, all of them together.</summary>
        public bool Settled(int count)
        {
            var held = workers.Take(count).Select(w => w.Mining.Held).ToList();
            if (held.Any(h => h is null)) return false;
            var all = held.SelectMany(h => h!.Held).ToList();
            return all.Count == Shards && all.Distinct().Count() == Shards;
        }

        public async Task StopAsync(int worker)
        {
            await workers[worker].Stop.CancelAsync();
            await workers[worker].Running;
        }

        public async ValueTask DisposeAsync()
        {
            // All at once: one by one, each leaving would start a rebalance the next one waits through.
            foreach (var (_, stop, _) in workers) await stop.CancelAsync();
            await Task.WhenAll(workers.Select(w => w.Running));
            foreach (var (_, stop, _) in workers) stop.Dispose();
        }
    }

    /// <summary>The workers' logs in the test's output, for when a test fails.</summary>
    private sealed class OutputLogger(ITestOutputHelper output, int worker) : ILogger<ShardedMining>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"worker {worker}: {formatter(state, exception)} {exception?.Message}");
            }
            catch (InvalidOperationException)
            {
                // The test has ended.
            }
        }
    }

    private sealed record PairRow(string Project, Guid PairId, string Source, string TurnId, string Chosen, string Rejected);

    private sealed record ShardRow(string Project, uint Shard);

    private sealed record CountRow(long Rows, long DistinctRows);
}
