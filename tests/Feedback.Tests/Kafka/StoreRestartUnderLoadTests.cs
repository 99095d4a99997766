using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Feedback.Analytics.Events;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Loading;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Store.Server;
using Feedback.Server.Hosting;
using Feedback.Tests.Process;
using Feedback.Tests.Sdk;
using Xunit.Abstractions;

namespace Feedback.Tests.Kafka;

/// <summary>
/// The distributed mode with its store stopped and started again while four writers send batches and the
/// loader loads: ingest (real HTTP) → Kafka (mock cluster) → loader → ClickHouse HTTP interface of a real
/// `feedback serve` child process over chDB. The store goes down and comes back after counts of acknowledged
/// batches, not after times, so the test means the same on a slow machine (docs/reliability.md).
/// </summary>
public sealed class StoreRestartUnderLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Writers = 4;
    private const int EventsPerBatch = 25;
    private const int BatchesPerPhase = 20;
    private const string Password = "store-restart-test";
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-store-restart-" + Guid.NewGuid().ToString("N"));
    private FeedbackProcess? store; // the running store process, null while it is down

    [Fact]
    public async Task A_store_restart_under_load_loses_no_acknowledged_event_and_shows_none_twice()
    {
        using var cluster = MockKafkaCluster.Start();
        var kafka = new KafkaOptions();
        cluster.CreateTopic(kafka.Topic, 4);
        cluster.CreateTopic(kafka.DeadLetterTopic, 1);
        var port = ChaosServer.FreePort(); // the same port after the restart, as a server's address stays
        store = await StartStoreAsync(port);
        using var server = new ClickHouseServerStore($"Host=127.0.0.1;Port={port};Username=default;Password={Password}");
        KeyValuePair<string, string?>[] settings =
        [
            new("Feedback:Kafka:BootstrapServers", cluster.BootstrapServers), new("Feedback:Kafka:LoaderBatchWait", "00:00:00.200"),
        ];
        await using var ingest = await FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, MineEvery = TimeSpan.Zero }, server, TextWriter.Null, settings);
        await using var worker = await FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, Capture = false, Load = true, MineEvery = TimeSpan.Zero }, server, TextWriter.Null, settings);
        var loader = worker.Services.GetRequiredService<LoaderMetrics>();
        var project = "r-" + Guid.NewGuid().ToString("N")[..10];
        var key = await new ProjectKeys(server).CreateProjectAsync(project);
        var load = new WriterLoad(ingest.Urls.First(), key);
        int acknowledgedWhileDown;

        try
        {
            await load.AcknowledgedAsync(BatchesPerPhase);
            await Eventually.TrueAsync(() => Task.FromResult(loader.Loaded > 0), "the loader stores events before the fault");

            await StopStoreAsync(); // SIGTERM; returns once the store process has exited
            var loadedBeforeStop = loader.Loaded;
            var batchesBeforeStop = load.Batches;
            await load.AcknowledgedAsync(batchesBeforeStop + BatchesPerPhase); // ingest goes on: Kafka holds the events
            Assert.Equal(loadedBeforeStop, loader.Loaded); // the loader stored nothing while the store was down
            acknowledgedWhileDown = (load.Batches - batchesBeforeStop) * EventsPerBatch;

            store = await StartStoreAsync(port);
            await load.AcknowledgedAsync(load.Batches + BatchesPerPhase);
            await Eventually.TrueAsync(() => Task.FromResult(loader.Loaded > loadedBeforeStop), "the loader stores again after the restart");
        }
        finally
        {
            await load.StopAsync(); // each writer finishes its batch, so every event sent is an acknowledged one
        }

        var acknowledged = load.Acknowledged.ToHashSet(StringComparer.Ordinal);
        Assert.Empty(load.Unexpected);
        await Eventually.TrueAsync(async () => await new EventStore(server).CountAsync(project) >= acknowledged.Count, "every acknowledged event is stored");
        var copies = (await server.QueryAsync<Copies>(
            "SELECT toString(event_id) AS event_id, count() AS n FROM events WHERE project = {project:String} GROUP BY event_id", new { project }))
            .ToDictionary(r => r.EventId, r => r.N, StringComparer.Ordinal);
        var shown = (await server.QueryAsync<Shown>(
            "SELECT count() AS n, uniqExact(event_id) AS distinct_ids FROM events FINAL WHERE project = {project:String}", new { project }))[0];

        var lost = acknowledged.Count(id => !copies.ContainsKey(id));
        var unasked = copies.Keys.Count(id => !acknowledged.Contains(id));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests {load.Requests}, 503s {load.Refused}, events acknowledged {acknowledged.Count} ({acknowledgedWhileDown} while the store was down), stored {copies.Count}, lost {lost}, rows written twice {copies.Count(c => c.Value > 1)} (FINAL shows {shown.N - shown.DistinctIds} twice)"));
        Assert.True(lost == 0, $"{lost} acknowledged events lost");
        Assert.True(unasked == 0, $"{unasked} stored events were never sent");
        Assert.Equal(acknowledged.Count, shown.N); // query results show each event once
        Assert.Equal(acknowledged.Count, shown.DistinctIds);
    }

    private Task<FeedbackProcess> StartStoreAsync(int port) =>
        FeedbackProcess.ServeAsync(dataDirectory, "--clickhouse-port", port.ToString(CultureInfo.InvariantCulture), "--clickhouse-password", Password, "--clickhouse-allow-writes");

    private async Task StopStoreAsync()
    {
        var stopping = store;
        store = null;
        if (stopping is not null) await stopping.DisposeAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await StopStoreAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    private sealed record Copies(string EventId, long N);

    private sealed record Shown(long N, long DistinctIds);

    /// <summary>Writers sending batches of new events, each resent until acknowledged, as a client told to retry does.</summary>
    private sealed class WriterLoad
    {
        private volatile bool stopping;
        private readonly List<Task> writers;
        private int batches;
        private int requests;
        private int refused;

        public WriterLoad(string url, string key) =>
            writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(url, key, w))).ToList();

        public ConcurrentBag<string> Acknowledged { get; } = [];

        public ConcurrentBag<string> Unexpected { get; } = [];

        public int Batches => Volatile.Read(ref batches);

        public int Requests => Volatile.Read(ref requests);

        public int Refused => Volatile.Read(ref refused);

        public Task AcknowledgedAsync(int count) =>
            Eventually.TrueAsync(() => Task.FromResult(Batches >= count), $"{count} batches are acknowledged");

        public async Task StopAsync()
        {
            stopping = true;
            await Task.WhenAll(writers);
        }

        private async Task WriteAsync(string url, string key, int writer)
        {
            using var http = RawEvents.Client(url, key);
            for (var batch = 0; !stopping; batch++)
            {
                var events = Enumerable.Range(0, EventsPerBatch).Select(i =>
                {
                    var e = RawEvents.Turn($"w{writer}-b{batch}-{i}");
                    e["conversation_id"] = $"w{writer}-b{batch}"; // spread over the topic's partitions
                    return e;
                }).ToArray();
                var body = RawEvents.Batch(events);
                while (true)
                {
                    Interlocked.Increment(ref requests);
                    using var response = await http.PostAsync("v1/batch", RawEvents.Json(body));
                    if (response.StatusCode == HttpStatusCode.OK) break;
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null) Interlocked.Increment(ref refused);
                    else Unexpected.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    await Task.Delay(100); // the client resends the same batch
                }
                foreach (var e in events) Acknowledged.Add((string)e["event_id"]!);
                Interlocked.Increment(ref batches);
            }
        }
    }
}
