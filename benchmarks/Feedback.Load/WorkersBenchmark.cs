using System.Diagnostics;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Store.ChDb;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>
/// Mining by one worker and by two (docs/benchmarks.md, issue 15): the same simulated conversations over eight projects,
/// loaded three times under other project names. After a first copy mined untimed, the second is mined by one worker
/// holding both shards, the third by two workers at once, each holding the one shard Kafka's group assignment on the mock broker gives it
/// (<see cref="ShardedMining"/>). Each worker's run is the call <see cref="ShardedMining"/> makes with the shards it
/// holds, started by the tool once the group has settled, so the clock holds mining and not the group's joining.
/// </summary>
internal static class WorkersBenchmark
{
    private const int Projects = 8;
    private const string Topic = "workers-benchmark-shards";

    public static async Task RunAsync(ChDbEngine engine, MockKafkaCluster cluster, int turns)
    {
        cluster.CreateTopic(Topic, 2);
        // A first copy mined untimed: the encoder's cache of texts is one per process, and the copies' texts are the
        // same, so without it the first timed run would embed them all and the second none.
        await LoadAsync(engine, await ProjectsAsync(engine, "warm"), turns);
        await TimeAsync(engine, cluster, "warm", workers: 1);
        var one = await ProjectsAsync(engine, "one");
        var two = await ProjectsAsync(engine, "two");

        await LoadAsync(engine, one, turns);
        var alone = await TimeAsync(engine, cluster, "one", workers: 1);

        // The copies before are mined already: the two workers' runs find only the third's rows new.
        await LoadAsync(engine, two, turns);
        var shared = await TimeAsync(engine, cluster, "two", workers: 2);

        Console.WriteLine($"workers: one worker {alone:0.0} s, two workers {shared:0.0} s: {alone / shared:0.00}x");
    }

    // Project names that put four projects on each of the two shards, so that two workers have equal shares.
    private static async Task<List<string>> ProjectsAsync(ChDbEngine engine, string copy)
    {
        var names = Enumerable.Range(0, 64).Select(i => $"workers-{copy}-{i}").ToList();
        var shards = await engine.QueryAsync<ShardRow>(
            "SELECT arrayJoin({names:Array(String)}) AS project, cityHash64(project) % 2 AS shard", new { names });
        return shards.GroupBy(s => s.Shard).SelectMany(g => g.Take(Projects / 2)).Select(s => s.Project).ToList();
    }

    // The same conversations in both copies: project i of each is simulated with seed i.
    private static async Task LoadAsync(ChDbEngine engine, List<string> projects, int turns)
    {
        var (loadedTurns, loadedEvents, seconds) = (0, 0, 0.0);
        for (var i = 0; i < projects.Count; i++)
        {
            var (t, e, s) = await MiningBenchmark.LoadAsync(engine, projects[i], seed: i + 1, turns / projects.Count, receivedNow: false);
            (loadedTurns, loadedEvents, seconds) = (loadedTurns + t, loadedEvents + e, seconds + s);
        }
        Console.WriteLine($"loaded {loadedTurns} simulated turns ({loadedEvents} events) into {projects.Count} projects in {seconds:0.0} s");
    }

    private static async Task<double> TimeAsync(ChDbEngine engine, MockKafkaCluster cluster, string group, int workers)
    {
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, MiningTopic = Topic, MiningGroup = "workers-" + group };
        using var stop = new CancellationTokenSource();
        var members = Enumerable.Range(0, workers).Select(_ => new ShardedMining(kafka, NullLogger<ShardedMining>.Instance)).ToList();
        // Members only: the tool starts each worker's run itself once every shard is held.
        var running = members.Select(m => m.RunAsync(TimeSpan.FromSeconds(1), (_, _) => Task.CompletedTask, stop.Token)).ToList();
        while (members.Any(m => m.Held is null) || members.Sum(m => m.Held!.Held.Count) != 2)
            await Task.Delay(100);

        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var rows = engine.RowsRead;
        var runs = members.Select(async (member, w) =>
        {
            var shards = member.Held!;
            var result = await MiningJob.Over(engine, TimeProvider.System).RunAsync(shards, stageDone: null);
            Console.WriteLine($"  worker {w + 1} of {workers}, shards {shards}: {result.TurnSignals} turns, {result.TotalPairs} pairs, done at {clock.Elapsed.TotalSeconds:0.0} s");
        }).ToList();
        await Task.WhenAll(runs);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{workers} worker(s): {seconds:0.0} s (CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.0} s), read {engine.RowsRead - rows:N0} rows");

        await stop.CancelAsync();
        await Task.WhenAll(running);
        return seconds;
    }

    private sealed record ShardRow(string Project, ulong Shard);
}
