using System.Diagnostics;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Events;
using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Model;
using Feedback.Analytics.Store.ChDb;
using Feedback.Events;
using Feedback.Simulation;
using Feedback.Training.FollowUps;

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
        // Received when they happened (the simulator's time, over weeks), so the signals stage's lookback (the last 10
        // minutes before its mark) holds a few conversations when the incremental run comes, as in a server that mines
        // every 30 seconds; not every event there is, as when the whole store is stamped in the same minute.
        var (loadedTurns, loadedEvents, loadSeconds) = await LoadAsync(engine, project, seed: 1, turns, receivedNow: false);
        Console.WriteLine($"loaded {loadedTurns} simulated turns ({loadedEvents} events) in {loadSeconds:0.0} s: {loadedEvents / loadSeconds:0} events/s");

        // One job for both runs, as the host keeps: it remembers what the events table held when its last run completed.
        var mining = MiningJob.Over(engine, TimeProvider.System);
        var total = await TimeRunAsync(engine, mining, "full run");
        Console.WriteLine($"mining: {loadedTurns} turns in {total:0.0} s = {loadedTurns / total:0} turns/s");

        var since = DateTimeOffset.UtcNow;
        var (newTurns, _, _) = await LoadAsync(engine, project, seed: 2, turns / 100);
        var incremental = await TimeRunAsync(engine, mining, $"incremental run after {newTurns} new turns");
        Console.WriteLine($"incremental: {newTurns} new turns in {incremental:0.0} s");

        // The host mines every 30 s: a run that finds no new event must cost next to nothing.
        var job = MiningJob.Over(engine, TimeProvider.System);
        await job.RunAsync();
        var idle = Stopwatch.StartNew();
        var result = await job.RunAsync();
        Console.WriteLine($"a run with no new events: {idle.Elapsed.TotalMilliseconds:0} ms (skipped: {result.NothingNew})");
        await KeyReadsAsync(engine, project, since); // last: it merges the events table
    }

    /// <summary>
    /// Rows the engine reads for "the events of these turns" (100 turns of the incremental load, by conversation and
    /// turn, as the signals job reads them) and "the events that arrived since" (the incremental load), from the events
    /// table and from a copy of it sorted by the key before migration 0024, (project, event_id), in the same run.
    /// </summary>
    private static async Task KeyReadsAsync(ChDbEngine engine, string project, DateTimeOffset since)
    {
        await engine.ExecuteAsync("""
            CREATE TABLE events_old_key AS events
            ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(timestamp) ORDER BY (project, event_id)
            SETTINGS deduplicate_merge_projection_mode = 'rebuild' -- events' projection (0029) comes along
            """);
        await engine.ExecuteAsync("INSERT INTO events_old_key SELECT * FROM events");
        await engine.ExecuteAsync("OPTIMIZE TABLE events_old_key FINAL"); // both tables merged as far as they go
        await engine.ExecuteAsync("OPTIMIZE TABLE events FINAL");
        var turns = await engine.QueryAsync<TurnKey>("""
            SELECT conversation_id, turn_id FROM events
            WHERE project = {project:String} AND kind = 'turn' AND received_at > {since:DateTime64(3, 'UTC')}
            ORDER BY cityHash64(turn_id) LIMIT 100
            """, new { project, since });
        var conversations = turns.Select(t => t.ConversationId).Distinct().ToList();
        var turnIds = turns.Select(t => t.TurnId).ToList();
        foreach (var table in new[] { "events_old_key", "events" })
        {
            var all = await ReadRowsAsync(engine, $"SELECT count() FROM {table} WHERE project = '{project}' AND NOT ignore(*)");
            var ofTurns = await ReadRowsAsync(engine, $$"""
                SELECT count() FROM {{table}} FINAL
                WHERE project = '{{project}}' AND conversation_id IN {conversations:Array(String)} AND turn_id IN {turns:Array(String)}
                """, ("conversations", $"[{string.Join(",", conversations.Select(c => $"'{c}'"))}]"), ("turns", $"[{string.Join(",", turnIds.Select(t => $"'{t}'"))}]"));
            var arrived = await ReadRowsAsync(engine, $"SELECT count() FROM {table} WHERE received_at > {{since:DateTime64(3, 'UTC')}}",
                ("since", since.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)));
            Console.WriteLine($"rows read from {table}: every row {all.Read} | events of 100 turns {ofTurns.Read} (found {ofTurns.Result}) | arrived since the incremental load {arrived.Read} (found {arrived.Result})");
        }
        await engine.ExecuteAsync("DROP TABLE events_old_key");
    }

    private static async Task<(ulong Read, string Result)> ReadRowsAsync(ChDbEngine engine, string sql, params (string Name, string Value)[] parameters)
    {
        var result = await engine.QueryRawAsync(new Feedback.Analytics.Store.RawQuery
        {
            Sql = System.Text.Encoding.UTF8.GetBytes(sql),
            Parameters = parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)).ToList(),
            Settings = Feedback.Analytics.Store.StoreSettings.All.ToList(),
        });
        return (result.Statistics.ReadRows, System.Text.Encoding.UTF8.GetString(result.Output).Trim());
    }

    private sealed record TurnKey(string ConversationId, string TurnId);

    internal static async Task<(int Turns, int Events, double Seconds)> LoadAsync(ChDbEngine engine, string project, int seed, int turns, bool receivedNow = true)
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
            // 200 days per million turns, so that the simulated times (received_at when not received now) end before
            // now: at 10M turns a 200-day start ran years past now, the signals marks with it, and the incremental
            // load's events, received now, lay before the marks and were not read.
            Start = DateTimeOffset.UtcNow.AddDays(-200 * Math.Max(1, turns / 1_000_000.0) + 10 * seed),
        });
        foreach (var conversation in simulator.Conversations())
        {
            // Stamped as received now, as ingest would: the signals job's high-water mark works on received_at.
            if (receivedNow) foreach (var e in conversation.Events) e.ReceivedAt = DateTimeOffset.UtcNow;
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
    private static async Task<double> TimeRunAsync(ChDbEngine engine, MiningJob job, string name)
    {
        Console.WriteLine($"{name}:");
        var total = Stopwatch.StartNew();
        var totalCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stage = Stopwatch.StartNew();
        var stageCpu = totalCpu;
        // Rows and bytes the engine read from storage: unlike wall and CPU time, the same on a busy machine.
        var (totalRows, totalBytes) = (engine.RowsRead, engine.BytesRead);
        var (stageRows, stageBytes) = (totalRows, totalBytes);
        await job.RunAsync(stageDone: (stageName, count) =>
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
        foreach (var format in ExportFormats.Shipped.Names)
        {
            var path = Path.Combine(Path.GetTempPath(), $"feedback-export-bench.{ExportFormats.Shipped[format].Extension}");
            var clock = Stopwatch.StartNew();
            int written;
            await using (var file = File.Create(path))
                written = await export.WriteAsync(format, new ExportFilter { Project = project }, file);
            Console.WriteLine($"export {format}: {written} rows in {clock.Elapsed.TotalSeconds:0.00} s = {written / clock.Elapsed.TotalSeconds:0} rows/s ({new FileInfo(path).Length / 1_000_000.0:0.0} MB)");
            File.Delete(path);
        }
    }
}
