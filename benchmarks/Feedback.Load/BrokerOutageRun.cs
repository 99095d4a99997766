using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Loading;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Store.ChDb;
using Feedback.Server.Hosting;

/// <summary>
/// The fault run (docs/reliability.md, "Faults"): the real ingest and loader hosts in distributed mode, four writers
/// sending batches, and every broker of the mock cluster down for a while in the middle. Writers behave as the SDK
/// does: a 503 with Retry-After is waited out and the same batch sent again. Afterwards every acknowledged event
/// must be stored, none shown twice.
/// </summary>
internal static class BrokerOutageRun
{
    private const int WriterCount = 4;
    private const int EventsPerBatch = 100;
    private const int BatchesAroundTheOutage = 50;

    public static async Task RunAsync(ChDbEngine engine, MockKafkaCluster cluster, TimeSpan outage)
    {
        var project = "faults-" + Guid.NewGuid().ToString("N")[..8];
        var key = await new ProjectKeys(engine).CreateProjectAsync(project);
        KeyValuePair<string, string?>[] settings =
        [
            new("Feedback:Kafka:BootstrapServers", cluster.BootstrapServers),
            new("Logging:LogLevel:Default", "Critical"), // each refused batch would log its exception
        ];
        await using var ingest = await FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, MineEvery = TimeSpan.Zero }, engine, TextWriter.Null, settings);
        await using var worker = await FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, Capture = false, Load = true, MineEvery = TimeSpan.Zero }, engine, TextWriter.Null, settings);
        var loader = worker.Services.GetRequiredService<LoaderMetrics>();
        var url = new Uri(ingest.Urls.First());
        var load = new WriterLoad(url, key);

        await load.WaitForBatchesAsync(BatchesAroundTheOutage);
        var clock = Stopwatch.StartNew();
        cluster.SetAllDown();
        var batchesAtDown = load.Acknowledged;
        await Task.Delay(outage / 2);
        using (var http = new HttpClient())
        using (var health = await http.GetAsync(new Uri(url, "health")))
            Console.WriteLine($"broker down {outage.TotalSeconds:0} s: /health answered {(int)health.StatusCode} halfway");
        await Task.Delay(outage - clock.Elapsed);
        cluster.SetAllUp();
        var batchesWhileDown = load.Acknowledged - batchesAtDown;
        clock.Restart();
        await load.WaitForFirstBatchAfterAsync(load.Acknowledged);
        var firstAcknowledgedAfter = clock.Elapsed;
        await load.WaitForBatchesAsync(load.Acknowledged + BatchesAroundTheOutage);
        await load.StopAsync();

        var acknowledged = load.AcknowledgedIds.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (await StoredAsync(engine, project) < acknowledged.Count && DateTime.UtcNow < deadline) await Task.Delay(200);
        await Task.Delay(TimeSpan.FromSeconds(2)); // anything produced twice has had time to be loaded twice
        var copies = (await engine.QueryAsync<Copies>(
            "SELECT toString(event_id) AS event_id, count() AS n FROM events WHERE project = {project:String} GROUP BY event_id", new { project }))
            .ToDictionary(c => c.EventId, c => c.N, StringComparer.Ordinal);
        var shown = await StoredAsync(engine, project);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            requests {load.Requests}: 200 × {load.Ok}, 503 with Retry-After × {load.Refused}, other answers × {load.Other.Count}{(load.Other.IsEmpty ? "" : " (" + string.Join(", ", load.Other.GroupBy(o => o).Select(g => $"{g.Key} × {g.Count()}")) + ")")}
            batches acknowledged while the broker was down: {batchesWhileDown}; first batch acknowledged {firstAcknowledgedAfter.TotalSeconds:0.0} s after the broker came back
            events acknowledged {acknowledged.Count}, stored {copies.Count}, lost {acknowledged.Count(id => !copies.ContainsKey(id))}, stored but never acknowledged {copies.Keys.Count(id => !acknowledged.Contains(id))}
            duplicated: {copies.Values.Count(n => n > 1)} events with more than one row (count {copies.Values.Sum()} vs count distinct {copies.Count}); in query results (FINAL) {shown - copies.Count}
            loader rows {loader.Loaded}
            """));
    }

    private static async Task<long> StoredAsync(ChDbEngine engine, string project) =>
        (await engine.QueryAsync<Count>("SELECT count() AS n FROM events FINAL WHERE project = {project:String}", new { project }))[0].N;

    private sealed record Count(long N);

    private sealed record Copies(string EventId, long N);

    /// <summary>Writers sending batches of new events; each batch is resent until acknowledged.</summary>
    private sealed class WriterLoad
    {
        private readonly List<Task> tasks;
        private volatile bool stopping;
        private int acknowledged;
        private int requests;
        private int ok;
        private int refused;

        public WriterLoad(Uri url, string key) =>
            tasks = Enumerable.Range(0, WriterCount).Select(w => Task.Run(() => WriteAsync(url, key, w))).ToList();

        public ConcurrentBag<string> AcknowledgedIds { get; } = [];

        public ConcurrentBag<string> Other { get; } = [];

        public int Acknowledged => Volatile.Read(ref acknowledged);

        public int Requests => Volatile.Read(ref requests);

        public int Ok => Volatile.Read(ref ok);

        public int Refused => Volatile.Read(ref refused);

        public async Task WaitForBatchesAsync(int count)
        {
            while (Acknowledged < count) await Task.Delay(20);
        }

        public Task WaitForFirstBatchAfterAsync(int count) => WaitForBatchesAsync(count + 1);

        public async Task StopAsync()
        {
            stopping = true;
            await Task.WhenAll(tasks);
        }

        private async Task WriteAsync(Uri url, string key, int writer)
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
            for (var batch = 0; !stopping; batch++)
            {
                var ids = Enumerable.Range(0, EventsPerBatch).Select(_ => Guid.CreateVersion7().ToString()).ToList();
                var body = Batch(ids, $"w{writer}-b{batch}");
                while (true)
                {
                    Interlocked.Increment(ref requests);
                    TimeSpan wait;
                    try
                    {
                        using var content = new StringContent(body, Encoding.UTF8, "application/json");
                        using var response = await http.PostAsync("v1/batch", content);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref ok);
                            break;
                        }
                        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter?.Delta is { } retryAfter)
                        {
                            Interlocked.Increment(ref refused);
                            wait = retryAfter;
                        }
                        else
                        {
                            Other.Add(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                            wait = TimeSpan.FromSeconds(1);
                        }
                    }
                    catch (HttpRequestException e)
                    {
                        Other.Add(e.GetType().Name);
                        wait = TimeSpan.FromSeconds(1);
                    }
                    await Task.Delay(wait); // then the same batch again, as the SDK does
                }
                foreach (var id in ids) AcknowledgedIds.Add(id);
                Interlocked.Increment(ref acknowledged);
            }
        }

        private static string Batch(List<string> ids, string conversation) => new JsonObject
        {
            ["events"] = new JsonArray(ids.Select((id, i) => (JsonNode)new JsonObject
            {
                ["event_id"] = id,
                ["kind"] = "turn",
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["user_id"] = "u" + conversation,
                ["session_id"] = conversation,
                ["conversation_id"] = conversation,
                ["turn_id"] = $"{conversation}-t{i}",
                ["request"] = "How do I reverse a list in Python without modifying the original?",
                ["response"] = "Use slicing: reversed_list = original[::-1] creates a new list.",
                ["model"] = "gpt-4o-mini",
                ["model_version"] = "2024-07-18",
            }).ToArray()),
        }.ToJsonString();
    }
}
