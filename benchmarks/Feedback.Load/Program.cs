using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Loading;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store.ChDb;
using Feedback.Cli.Hosting;
using Feedback.Events;

// Usage: dotnet run -c Release --project benchmarks/Feedback.Load -- [kafka-ingest|sdk|loader|all] [count]
//        ... -- mining [turns] | classifier [follow-ups] | export [pairs]   (not part of "all": see docs/benchmarks.md)
// Everything runs on 127.0.0.1: a librdkafka mock cluster, the embedded store in a temporary directory.
var what = args.ElementAtOrDefault(0) ?? "all";
var dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-load-" + Guid.NewGuid().ToString("N"));
using var engine = ChDbEngine.Open(dataDirectory);
await Migrator.MigrateAsync(engine);
using var cluster = MockKafkaCluster.Start();
var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
cluster.CreateTopic(kafka.Topic, 4);
cluster.CreateTopic(kafka.DeadLetterTopic, 1);
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; mock Kafka {cluster.BootstrapServers}");

if (what is "kafka-ingest" or "all") await IngestAsync(int.Parse(args.ElementAtOrDefault(1) ?? "300", System.Globalization.CultureInfo.InvariantCulture));
if (what is "sdk" or "all") await SdkAsync(int.Parse(args.ElementAtOrDefault(1) ?? "100000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "loader" or "all") await LoaderAsync(int.Parse(args.ElementAtOrDefault(2) ?? args.ElementAtOrDefault(1) ?? "200000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "mining") await MiningBenchmark.RunAsync(engine, int.Parse(args.ElementAtOrDefault(1) ?? "1000000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "classifier") MiningBenchmark.Classifier(int.Parse(args.ElementAtOrDefault(1) ?? "100000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "export") await MiningBenchmark.ExportAsync(engine, int.Parse(args.ElementAtOrDefault(1) ?? "200000", System.Globalization.CultureInfo.InvariantCulture));
Directory.Delete(dataDirectory, recursive: true);
return;

// One SDK client → the embedded ingest over HTTP on 127.0.0.1: events/s from the first Track call until the
// server accepted the last event.
async Task SdkAsync(int count)
{
    var key = await new ProjectKeys(engine).CreateProjectAsync("sdk-" + Guid.NewGuid().ToString("N")[..8]);
    await using var ingest = await FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, MineEvery = TimeSpan.Zero }, engine, TextWriter.Null,
        [new("Logging:LogLevel:Default", "Warning")]);
    var clock = Stopwatch.StartNew();
    await using var client = new Feedback.FeedbackClient(new Feedback.FeedbackClientOptions
    {
        Endpoint = new Uri(ingest.Urls.First()),
        WriteKey = key,
        QueueCapacity = count,
        MaxBatchSize = 500,
    });
    for (var i = 0; i < count; i++)
    {
        client.TrackTurn(new Feedback.Turn
        {
            UserId = $"u{i % 500}",
            SessionId = $"s{i / 20}",
            ConversationId = $"c{i / 10}",
            Prompt = "How do I reverse a list in Python without modifying the original? " + i,
            Response = "Use slicing: reversed_list = original[::-1] creates a new list.",
            Model = "gpt-4o-mini",
        });
    }
    var tracked = clock.Elapsed;
    await client.FlushAsync();
    Console.WriteLine($"sdk → embedded ingest: {count} turns tracked in {tracked.TotalMilliseconds:0} ms, all accepted after {clock.Elapsed.TotalSeconds:0.0} s: {client.Sent / clock.Elapsed.TotalSeconds:0} events/s (sent {client.Sent}, dropped {client.Dropped})");
}

static FeedbackEvent Event(string project, int i) => new()
{
    EventId = Guid.CreateVersion7(),
    Kind = EventKinds.Turn,
    Project = project,
    Timestamp = DateTimeOffset.UtcNow,
    ReceivedAt = DateTimeOffset.UtcNow,
    UserId = $"u{i % 500}",
    SessionId = $"s{i / 20}",
    ConversationId = $"c{i / 10}",
    TurnId = $"t{i}",
    Request = [new RequestMessage("user", "How do I reverse a list in Python without modifying the original? " + i)],
    Response = string.Concat(Enumerable.Repeat("Use slicing: reversed_list = original[::-1] creates a new list. ", 8)),
    Model = "gpt-4o-mini",
    ModelVersion = "2024-07-18",
    LatencyMs = 700,
    InputTokens = 20,
    OutputTokens = 120,
};

// Ingest → broker at batch size 100, next to a raw librdkafka produce loop of the same messages (same producer settings).
async Task IngestAsync(int batches)
{
    const int batchSize = 100, concurrency = 4;
    var (project, key) = ("load", await new ProjectKeys(engine).CreateProjectAsync("load-" + Guid.NewGuid().ToString("N")[..8]));
    project = (await new ProjectKeys(engine).FindProjectAsync(key, KeyKind.Write))!;
    await using var ingest = await FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, MineEvery = TimeSpan.Zero }, engine, TextWriter.Null,
        [new("Feedback:Kafka:BootstrapServers", cluster.BootstrapServers), new("Logging:LogLevel:Default", "Warning")]);
    var bodies = Enumerable.Range(0, batches).Select(b => JsonSerializer.SerializeToUtf8Bytes(
        new { events = Enumerable.Range(0, batchSize).Select(i => Event(project, b * batchSize + i)).ToList() }, FeedbackJson.Options)).ToList();
    using var http = new HttpClient { BaseAddress = new Uri(ingest.Urls.First()) };
    http.DefaultRequestHeaders.Authorization = new("Bearer", key);

    await RunAsync("warm-up", bodies.Take(20).ToList(), async body => await PostAsync(http, body));
    var api = await RunAsync("ingest → broker (HTTP POST /v1/batch, 100 events)", bodies, async body => await PostAsync(http, body));

    var messages = bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("events").EnumerateArray()
        .Select(e => new Message<string, byte[]> { Key = $"{project}/{e.GetProperty("conversation_id").GetString()}", Value = Encoding.UTF8.GetBytes(e.GetRawText()) }).ToList()).ToList();
    using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        BootstrapServers = cluster.BootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
        CompressionType = CompressionType.Lz4,
    }).Build();
    var raw = await RunAsync("raw librdkafka produce (100 messages, await acks)", messages,
        async batch => await Task.WhenAll(batch.Select(m => producer.ProduceAsync(kafka.Topic, m))));
    Console.WriteLine($"ratio ingest/raw events/s: {api / raw:0.00}");

    async Task<double> RunAsync<T>(string name, IReadOnlyList<T> work, Func<T, Task> one)
    {
        var latencies = new double[work.Count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < work.Count)
            {
                var start = Stopwatch.GetTimestamp();
                await one(work[i]);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        var eventsPerSecond = work.Count * batchSize / seconds;
        if (name != "warm-up")
            Console.WriteLine($"{name}: {work.Count * batchSize} events, {eventsPerSecond:0} events/s, p50 {latencies[latencies.Length / 2]:0.0} ms, p99 {latencies[(int)(latencies.Length * 0.99)]:0.0} ms");
        return eventsPerSecond;
    }
}

static async Task PostAsync(HttpClient http, byte[] body)
{
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new("application/json");
    using var response = await http.PostAsync("v1/batch", content);
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}");
}

// Loader rows/s (Kafka → store, batches of LoaderBatchSize) next to a raw engine insert of the same rows in the same batches.
async Task LoaderAsync(int count)
{
    var project = "loader-" + Guid.NewGuid().ToString("N")[..8];
    var events = Enumerable.Range(0, count).Select(i => Event(project, i)).ToList();
    // The loader runs while the events are produced (as in production): librdkafka's mock broker keeps only a
    // bounded log per partition, so producing everything first would drop the oldest messages.
    var metrics = new LoaderMetrics();
    using var stop = new CancellationTokenSource();
    using var logs = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
    var loader = new EventLoader(kafka with { ConsumerGroup = "load-" + project }, engine, metrics, logs.CreateLogger<EventLoader>()).RunAsync(stop.Token);
    await Task.Delay(2000); // the loader joins its group
    var clock = Stopwatch.StartNew();
    using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 20 }).Build())
    {
        var produced = 0;
        foreach (var e in events)
        {
            // Stay within what the mock broker retains: at most 10,000 messages ahead of the loader.
            if (++produced % 1000 == 0)
            {
                producer.Flush();
                while (produced - metrics.Loaded > 10_000) await Task.Delay(5);
            }
            while (true)
            {
                try
                {
                    producer.Produce(kafka.Topic, new Message<string, byte[]> { Key = e.ConversationId!, Value = JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options) });
                    break;
                }
                catch (ProduceException<string, byte[]> full) when (full.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }
        producer.Flush();
    }
    while (metrics.Loaded < count) await Task.Delay(20);
    var loaded = count / clock.Elapsed.TotalSeconds;
    await stop.CancelAsync();
    await loader;
    Console.WriteLine($"loader (Kafka → embedded store, batches of {kafka.LoaderBatchSize}): {count} rows, {loaded:0} rows/s");

    var copies = events.Select(e => { var c = JsonSerializer.Deserialize<FeedbackEvent>(JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options), FeedbackJson.Options)!; c.Project = project + "-raw"; return c; }).ToList();
    clock.Restart();
    foreach (var chunk in copies.Chunk(kafka.LoaderBatchSize)) await engine.InsertAsync("events", chunk);
    var raw = count / clock.Elapsed.TotalSeconds;
    Console.WriteLine($"raw engine insert (same rows, same batches): {count} rows, {raw:0} rows/s");
    Console.WriteLine($"ratio loader/raw rows/s: {loaded / raw:0.00}");
}
