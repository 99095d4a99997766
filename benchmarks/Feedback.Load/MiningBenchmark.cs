using System.Diagnostics;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Events;
using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Store.ChDb;
using Feedback.Events;
using Feedback.Simulation;

/// <summary>Mining at scale over simulated conversations, the follow-up classifier alone, and the export (docs/benchmarks.md).</summary>
internal static class MiningBenchmark
{
    /// <summary>
    /// Loads simulated conversations until <paramref name="turns"/> turns (not timed as mining), then times one full
    /// mining run stage by stage, then an incremental run after 1 % more conversations arrive.
    /// </summary>
    public static async Task RunAsync(ChDbEngine engine, int turns)
    {
        var project = "mining-" + Guid.NewGuid().ToString("N")[..8];
        var (loadedTurns, loadedEvents, loadSeconds) = await LoadAsync(engine, project, seed: 1, turns);
        Console.WriteLine($"loaded {loadedTurns} simulated turns ({loadedEvents} events) in {loadSeconds:0.0} s: {loadedEvents / loadSeconds:0} events/s");

        var total = await TimeRunAsync(engine, "full run");
        Console.WriteLine($"mining: {loadedTurns} turns in {total:0.0} s = {loadedTurns / total:0} turns/s");

        var (newTurns, _, _) = await LoadAsync(engine, project, seed: 2, turns / 100);
        var incremental = await TimeRunAsync(engine, $"incremental run after {newTurns} new turns");
        Console.WriteLine($"incremental: {newTurns} new turns in {incremental:0.0} s");

        // The host mines every 30 s: a run that finds no new event must cost next to nothing.
        var job = MiningJob.Over(engine, TimeProvider.System);
        await job.RunAsync();
        var idle = Stopwatch.StartNew();
        var result = await job.RunAsync();
        Console.WriteLine($"a run with no new events: {idle.Elapsed.TotalMilliseconds:0} ms (skipped: {result.NothingNew})");
    }

    internal static async Task<(int Turns, int Events, double Seconds)> LoadAsync(ChDbEngine engine, string project, int seed, int turns)
    {
        var clock = Stopwatch.StartNew();
        var store = new EventStore(engine);
        var batch = new List<FeedbackEvent>(110_000);
        int loadedTurns = 0, loadedEvents = 0;
        var simulator = new ConversationSimulator(new SimulationOptions
        {
            Seed = seed,
            Project = project,
            Conversations = int.MaxValue,
            Users = 50_000,
            Start = DateTimeOffset.UtcNow.AddDays(-200 + 10 * seed),
        });
        foreach (var conversation in simulator.Conversations())
        {
            // Stamped as received now, as ingest would: the signals job's high-water mark works on received_at.
            foreach (var e in conversation.Events) e.ReceivedAt = DateTimeOffset.UtcNow;
            batch.AddRange(conversation.Events);
            loadedTurns += conversation.Turns.Count;
            if (batch.Count >= 100_000 || loadedTurns >= turns)
            {
                await store.AppendAsync(batch);
                loadedEvents += batch.Count;
                batch.Clear();
            }
            if (loadedTurns >= turns) break;
        }
        return (loadedTurns, loadedEvents, clock.Elapsed.TotalSeconds);
    }

    // One MiningJob run, each stage timed as it ends.
    private static async Task<double> TimeRunAsync(ChDbEngine engine, string name)
    {
        Console.WriteLine($"{name}:");
        var total = Stopwatch.StartNew();
        var totalCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stage = Stopwatch.StartNew();
        var stageCpu = totalCpu;
        // Rows and bytes the engine read from storage: unlike wall and CPU time, the same on a busy machine.
        var (totalRows, totalBytes) = (engine.RowsRead, engine.BytesRead);
        var (stageRows, stageBytes) = (totalRows, totalBytes);
        await MiningJob.Over(engine, TimeProvider.System).RunAsync(stageDone: (stageName, count) =>
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            Console.WriteLine($"  {stageName}: {count} in {stage.Elapsed.TotalSeconds:0.00} s (CPU {(cpu - stageCpu).TotalSeconds:0.00} s), " +
                $"read {engine.RowsRead - stageRows:N0} rows, {(engine.BytesRead - stageBytes) / 1e6:0.0} MB");
            (stageCpu, stageRows, stageBytes) = (cpu, engine.RowsRead, engine.BytesRead);
            stage.Restart();
        });
        Console.WriteLine($"  total: {total.Elapsed.TotalSeconds:0.00} s (CPU {(Process.GetCurrentProcess().TotalProcessorTime - totalCpu).TotalSeconds:0.00} s), " +
            $"read {engine.RowsRead - totalRows:N0} rows, {(engine.BytesRead - totalBytes) / 1e6:0.0} MB");
        return total.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Follow-ups classified per second as a mining run does (one batch, every core): simulated follow-ups, whose texts
    /// repeat, and the held-out set's, each new to the encoder (a cold cache).
    /// </summary>
    public static void Classifier(int count)
    {
        var simulation = ConversationSimulator.Run(new SimulationOptions { Seed = 1, Conversations = 20_000 });
        var turns = simulation.Events.Where(e => e.Kind == EventKinds.Turn).ToDictionary(e => e.TurnId!);
        var followUps = simulation.Events.Where(e => e.Kind == EventKinds.FollowUp)
            .Select(e => new FollowUp(MiningText.LastUserMessage(turns[e.TurnId!].Request!), turns[e.TurnId!].Response!, e.Message!)).ToList();
        var batch = Enumerable.Range(0, count).Select(i => followUps[i % followUps.Count]).ToList();
        var classifier = FollowUpClassifier.LoadShipped();
        Time($"simulated ({batch.Select(f => f.Followup.ToLowerInvariant()).Distinct().Count()} distinct texts)", batch, classifier);
        Time("simulated again (every text embedded already)", batch, classifier);
        var cold = new MiniLmEmbedder();
        using var model = typeof(FollowUpClassifier).Assembly.GetManifestResourceStream(FollowUpClassifier.ModelResource)!;
        Time("held-out, cold cache", FollowUpCorpus.Load(FollowUpCorpus.Heldout).Select(e => e.FollowUp).ToList(), FollowUpClassifier.Load(model, cold));
    }

    private static void Time(string name, List<FollowUp> followUps, FollowUpClassifier classifier)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        classifier.ClassifyAll(followUps);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"classifier, {name}: {followUps.Count} follow-ups in {clock.Elapsed.TotalSeconds:0.00} s = {followUps.Count / clock.Elapsed.TotalSeconds:0} follow-ups/s (CPU {cpuSeconds:0.00} s)");
    }

    /// <summary>Export pairs per second per format, over pairs mined from simulated conversations.</summary>
    public static async Task ExportAsync(ChDbEngine engine, int pairs)
    {
        var project = "export-" + Guid.NewGuid().ToString("N")[..8];
        var template = ConversationSimulator.Run(new SimulationOptions { Seed = 1, Conversations = 2_000 });
        await new EventStore(engine).AppendAsync(template.Events.Select(e => { e.Project = project; return e; }).ToList());
        await MiningJob.Over(engine, TimeProvider.System).RunAsync();
        // Copies of the mined pairs with fresh ids, up to the count asked for.
        var mined = await engine.QueryAsync<PreferencePair>("SELECT * FROM pairs FINAL WHERE project = {project:String}", new { project });
        var rows = Enumerable.Range(0, pairs).Select(i => mined[i % mined.Count] with { PairId = Guid.CreateVersion7(), CreatedAt = DateTimeOffset.UtcNow }).ToList();
        await engine.ExecuteAsync("ALTER TABLE pairs DELETE WHERE project = {project:String}", new { project });
        foreach (var chunk in rows.Chunk(50_000)) await engine.InsertAsync("pairs", chunk);
        var export = new PairExport(engine);
        foreach (var format in ExportFormats.All)
        {
            var path = Path.Combine(Path.GetTempPath(), $"feedback-export-bench.{ExportFormats.Extension(format)}");
            var clock = Stopwatch.StartNew();
            int written;
            await using (var file = File.Create(path))
                written = await export.WriteAsync(format, new ExportFilter { Project = project }, file);
            Console.WriteLine($"export {format}: {written} rows in {clock.Elapsed.TotalSeconds:0.00} s = {written / clock.Elapsed.TotalSeconds:0} rows/s ({new FileInfo(path).Length / 1_000_000.0:0.0} MB)");
            File.Delete(path);
        }
    }
}
