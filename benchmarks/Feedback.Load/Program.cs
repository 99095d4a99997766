using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Loading;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store.ChDb;
using Feedback.Analytics.Topics;
using Feedback.Analytics.Trends;
using Feedback.Events;
using Feedback.Server.Hosting;
using Feedback.Simulation;

// Usage: dotnet run -c Release --project benchmarks/Feedback.Load -- [kafka-ingest|sdk|loader|dashboard|topics|all] [count]
//        ... -- trends [turns ...]   (trend query latency at each store size, default 1000000 10000000)
//        ... -- topics-distinct <labelled complaints .jsonl> [turns]   (the topic model on texts that are all different)
//        ... -- embed <labelled complaints .jsonl> [turns]   (the encoder on first-sight texts: the package's batching and ours)
//        ... -- encoder-quality <labelled complaints .jsonl>   (topics and the follow-up classifier's held-out figures, float vs int8 encoder)
//        ... -- topics-restart [turns]   (a full topic fit after a restart, every text distinct, vectors in the store)
//        ... -- topics-quality <labelled complaints .jsonl> [sweep] [--kinds-corpus <complaints.jsonl>]   (training/topics; sweep only on the development set)
//        ... -- mining [turns] | workers [turns] | scoring [turns] | classifier [follow-ups] | export [pairs]   (not part of "all": see docs/benchmarks.md)
//        ... -- faults [seconds]   (every broker down that long under 4 writers, default 30: docs/reliability.md)
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
if (what is "dashboard") await DashboardAsync(int.Parse(args.ElementAtOrDefault(1) ?? "1000000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "trends")
{
    await TrendLatency.RunAsync(engine, args.Length > 1 ? args[1..].Select(a => long.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToList() : [1_000_000, 10_000_000]);
}
if (what is "loader" or "all") await LoaderAsync(int.Parse(args.ElementAtOrDefault(2) ?? args.ElementAtOrDefault(1) ?? "200000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "topics") await TopicsAsync(int.Parse(args.ElementAtOrDefault(1) ?? "100000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "mining") await MiningBenchmark.RunAsync(engine, int.Parse(args.ElementAtOrDefault(1) ?? "1000000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "workers") await WorkersBenchmark.RunAsync(engine, cluster, int.Parse(args.ElementAtOrDefault(1) ?? "200000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "scoring") await ScoringBenchmark.RunAsync(engine, int.Parse(args.ElementAtOrDefault(1) ?? "200000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "classifier") MiningBenchmark.Classifier(int.Parse(args.ElementAtOrDefault(1) ?? "100000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "topics-distinct") TopicThroughput.Run(args[1], int.Parse(args.ElementAtOrDefault(2) ?? "10000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "embed") EmbeddingThroughput.Run(args[1], int.Parse(args.ElementAtOrDefault(2) ?? "1000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "encoder-quality") EncoderQuality.Run(args[1]);
if (what is "topics-restart") await TopicRestartThroughput.RunAsync(engine, int.Parse(args.ElementAtOrDefault(1) ?? "100000", System.Globalization.CultureInfo.InvariantCulture));
if (what is "topics-quality") TopicQuality.Run(args[1], sweep: args.Contains("sweep"), corpus: args.SkipWhile(a => a != "--kinds-corpus").ElementAtOrDefault(1));
if (what is "faults") await BrokerOutageRun.RunAsync(engine, cluster, TimeSpan.FromSeconds(int.Parse(args.ElementAtOrDefault(1) ?? "30", System.Globalization.CultureInfo.InvariantCulture)));
if (what is "export") await MiningBenchmark.ExportAsync(engine, int.Parse(args.ElementAtOrDefault(1) ?? "200000", System.Globalization.CultureInfo.InvariantCulture));
engine.Dispose(); // the engine merges parts in the background until it is closed
Directory.Delete(dataDirectory, recursive: true);
return;

// The dashboard's requests over HTTP against `count` turns (3 per conversation, two model versions, 30 days,
// a fifth negative, a quarter positive), written straight into the store by SQL: the board (trends, compare,
// topics), the drill-down list (first page, a day's negative point of one series, a deep page) and a conversation.
async Task DashboardAsync(int count)
{
    var project = "dash-" + Guid.NewGuid().ToString("N")[..8];
    await new ProjectKeys(engine).CreateProjectAsync(project);
    var readKey = await new ProjectKeys(engine).CreateKeyAsync(project, KeyKind.Read);
    var clock = Stopwatch.StartNew();
    const string Turns = """
        SELECT number AS n, concat('t', toString(n)) AS turn_id, concat('c', toString(intDiv(n, 3))) AS conversation_id,
            concat('u', toString(n % 5000)) AS user_id, if(n % 2 = 0, 'v1', 'v2') AS model_version,
            now64(3, 'UTC') - toIntervalSecond(intDiv(n, 3) % (30 * 86400)) - toIntervalSecond(n % 3 * 60) AS at
        FROM numbers({count:UInt64})
        """;
    await engine.ExecuteAsync($"""
        INSERT INTO turn_signals (project, turn_id, conversation_id, user_id, model, model_version, turn_timestamp,
            reaction_polarity, thumbs_up, thumbs_down, edited, regenerated, copied, follow_up_label, event_count,
            events_received_at, derived_at)
        SELECT {"{project:String}"}, turn_id, conversation_id, user_id, 'gpt-x', model_version, at,
            multiIf(n % 5 = 0, -1, n % 4 = 1, 1, 0), toUInt32(n % 4 = 1), toUInt32(n % 5 = 0), toUInt8(n % 7 = 0), 0, 0,
            if(n % 11 = 0, 'correction', ''), 2, now64(3, 'UTC'), now64(3, 'UTC')
        FROM ({Turns})
        """, new { project, count = (ulong)count });
    await engine.ExecuteAsync($"""
        INSERT INTO events (event_id, kind, project, timestamp, received_at, user_id, session_id, conversation_id, turn_id,
            request, response, model, model_version)
        SELECT generateUUIDv4(), 'turn', {"{project:String}"}, at, now64(3, 'UTC'), user_id, conversation_id, conversation_id, turn_id,
            [('user', concat('How do I reverse a list in Python? ', toString(n)))], 'Use slicing: original[::-1].', 'gpt-x', model_version
        FROM ({Turns})
        """, new { project, count = (ulong)count });
    Console.WriteLine($"dashboard data: {count:N0} turns in turn_signals and events, written in {clock.Elapsed.TotalSeconds:0.0} s");

    await using var server = await FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, MineEvery = TimeSpan.Zero }, engine, TextWriter.Null,
        [new("Logging:LogLevel:Default", "Warning")]);
    using var http = new HttpClient { BaseAddress = new Uri(server.Urls.First()), Timeout = TimeSpan.FromMinutes(5) };
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", readKey);
    var day = DateTime.UtcNow.Date.AddDays(-3);
    var point = $"from={day:yyyy-MM-dd}T00:00:00Z&to={day.AddDays(1):yyyy-MM-dd}T00:00:00Z&by=model_version&key=v2&signal=negative";
    foreach (var (name, url) in new[]
    {
        ("GET /v1/trends (30 days, day, by model_version)", "v1/trends?interval=day&by=model_version"),
        ("GET /v1/compare (v1 vs v2)", "v1/compare?a=v1&b=v2"),
        ("GET /v1/topics", "v1/topics"),
        ("GET /v1/conversations (first page, 30 days)", "v1/conversations"),
        ("GET /v1/conversations (a day's negative point of v2)", "v1/conversations?" + point),
        ("GET /v1/conversations (page 500)", "v1/conversations?page=500"),
        ("GET /v1/conversations/{id}", "v1/conversations/c4242"),
    })
    {
        var times = new List<double>();
        for (var run = 0; run < 6; run++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
            if (run > 0) times.Add(watch.Elapsed.TotalMilliseconds); // the first run warms caches
        }
        times.Sort();
        Console.WriteLine($"{name}: median {times[times.Count / 2]:0} ms, max {times[^1]:0} ms (5 runs)");
    }
}

// The topic job over negative turns with planted complaint themes: a full fit (two streamed passes, k chosen by
// silhouette, every turn assigned), then the incremental assignment of 1% more, then a read of GET /v1/topics.
async Task TopicsAsync(int count)
{
    var project = "topics-" + Guid.NewGuid().ToString("N")[..8];
    var start = DateTimeOffset.UtcNow.AddDays(-30);
    var (events, themes) = ComplaintTraffic.Generate(project, count, seed: 1, start, TimeSpan.FromDays(28), positiveShare: 0);
    foreach (var chunk in events.Chunk(20_000)) await engine.InsertAsync("events", chunk);
    var clock = Stopwatch.StartNew();
    await new TurnSignalsJob(engine, TimeProvider.System).DeriveAsync();
    Console.WriteLine($"signals of {count} turns ({events.Count} events) derived in {clock.Elapsed.TotalSeconds:0.0} s (before the topic job, not part of it)");

    using var job = new TopicJob(engine, MiniLmEmbedder.Shared, ComplaintKinds.Shipped, new TopicOptions(), TimeProvider.System);
    clock.Restart();
    var fitted = await job.RefitAsync(project);
    Console.WriteLine($"topic job, full fit: {fitted.Assigned} negative turns, {fitted.Topics} topics in {clock.Elapsed.TotalSeconds:0.0} s ({fitted.Assigned / clock.Elapsed.TotalSeconds:0} turns/s)");
    var assigned = await engine.QueryAsync<Assignment>(
        "SELECT turn_id, topic_id FROM topic_assignments FINAL WHERE project = {project:String}", new { project });
    var purity = assigned.GroupBy(a => a.TopicId).Sum(g => g.GroupBy(a => themes[a.TurnId]).Max(t => t.Count())) / (double)assigned.Count;
    Console.WriteLine($"purity (share of turns in their topic's majority theme): {purity:0.000}");

    var (more, _) = ComplaintTraffic.Generate(project, count / 100, seed: 2, start, TimeSpan.FromDays(28), positiveShare: 0, turnPrefix: "more");
    await engine.InsertAsync("events", more);
    await new TurnSignalsJob(engine, TimeProvider.System).DeriveAsync();
    clock.Restart();
    var incremental = await job.AssignNewAsync(project);
    Console.WriteLine($"topic job, incremental: {incremental.Assigned} new negative turns assigned in {clock.Elapsed.TotalSeconds:0.00} s");

    var reader = new TopicReader(engine);
    var query = new TopicQuery(start, DateTimeOffset.UtcNow, TrendInterval.Day, 20);
    await reader.ReadAsync(project, query);
    clock.Restart();
    var view = await reader.ReadAsync(project, query);
    Console.WriteLine($"GET /v1/topics read (20 topics, daily trend over 30 days, examples): {clock.Elapsed.TotalMilliseconds:0} ms");
    foreach (var topic in view.Topics) Console.WriteLine($"  {topic.Id,-6} {topic.Size,7}  {topic.Label}");
}

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
    // The messages as ingest writes them, made before the clock starts: writing them is ingest's work, not the loader's.
    var messages = events.Select(e => new Message<string, byte[]> { Key = e.ConversationId!, Value = JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options) }).ToList();
    var loader = new EventLoader(kafka with { ConsumerGroup = "load-" + project }, engine, metrics, logs.CreateLogger<EventLoader>()).RunAsync(stop.Token);
    await Task.Delay(2000); // the loader joins its group
    var clock = Stopwatch.StartNew();
    using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 20 }).Build())
    {
        var produced = 0;
        foreach (var message in messages)
        {
            // Stay within what the mock broker retains (a few MB per partition) yet keep the loader fed: at most
            // three batches ahead of what it has stored (one being inserted, one being read, one on its way).
            // Messages are sent as the producer batches them (no flush until the end: a flush is a round trip).
            if (++produced % 1000 == 0)
                while (produced - metrics.Loaded > 3 * kafka.LoaderBatchSize) await Task.Delay(5);
            while (true)
            {
                try
                {
                    producer.Produce(kafka.Topic, message);
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
    Console.WriteLine($"loader (Kafka → embedded store, batches of {kafka.LoaderBatchSize}), producer running: {count} rows, {loaded:0} rows/s");

    // The loader draining a backlog: the same rows (another project) already in a topic, produced before the clock
    // starts, as after a loader restart or a store outage. Its figure is then the loader's own work (consume, check,
    // insert, commit) and not also ingest's producing on the same 2 cores. The mock broker keeps a few MB per
    // partition, so the topic has enough partitions to hold them all, which is checked.
    await MergesDoneAsync();
    var backlog = kafka with { Topic = "backlog-" + project, ConsumerGroup = "backlog-" + project };
    cluster.CreateTopic(backlog.Topic, 64);
    using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 20 }).Build())
    {
        foreach (var e in events)
        {
            var copy = JsonSerializer.Deserialize<FeedbackEvent>(JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options), FeedbackJson.Options)!;
            copy.Project = project + "-backlog";
            while (true)
            {
                try
                {
                    producer.Produce(backlog.Topic, new Message<string, byte[]> { Key = copy.ConversationId!, Value = JsonSerializer.SerializeToUtf8Bytes(copy, FeedbackJson.Options) });
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
    using (var watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "watermarks-" + project }).Build())
    {
        var held = Enumerable.Range(0, 64).Sum(p =>
        {
            var offsets = watermarks.QueryWatermarkOffsets(new TopicPartition(backlog.Topic, p), TimeSpan.FromSeconds(10));
            return offsets.High.Value - offsets.Low.Value;
        });
        if (held != count) throw new InvalidOperationException($"the mock broker holds {held} of {count} backlog messages");
    }
    var backlogMetrics = new LoaderMetrics();
    using var stopBacklog = new CancellationTokenSource();
    var drainer = new EventLoader(backlog, engine, backlogMetrics, logs.CreateLogger<EventLoader>()).RunAsync(stopBacklog.Token);
    // The clock starts once the first batch is stored (the group joined), and counts the rows after it.
    while (backlogMetrics.Loaded == 0) await Task.Delay(1);
    var first = backlogMetrics.Loaded;
    clock.Restart();
    while (backlogMetrics.Loaded < count) await Task.Delay(1);
    var drained = (count - first) / clock.Elapsed.TotalSeconds;
    await stopBacklog.CancelAsync();
    await drainer;
    Console.WriteLine($"loader draining a backlog (topic filled first): {count - first} rows after the first batch, {drained:0} rows/s");

    await MergesDoneAsync();
    var copies = events.Select(e => { var c = JsonSerializer.Deserialize<FeedbackEvent>(JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options), FeedbackJson.Options)!; c.Project = project + "-raw"; return c; }).ToList();
    clock.Restart();
    foreach (var chunk in copies.Chunk(kafka.LoaderBatchSize)) await engine.InsertAsync("events", chunk);
    var raw = count / clock.Elapsed.TotalSeconds;
    Console.WriteLine($"raw engine insert (same rows, same batches): {count} rows, {raw:0} rows/s");
    Console.WriteLine($"ratio loader/raw rows/s: {loaded / raw:0.00} (producer running), {drained / raw:0.00} (draining a backlog)");

    // The floor under both: the same rows already as JSON bytes, inserted as they are (what the loader does with
    // a plain message, without Kafka, validation or commits).
    await MergesDoneAsync();
    var bytes = events.Select(e => { var c = JsonSerializer.Deserialize<FeedbackEvent>(JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options), FeedbackJson.Options)!; c.Project = project + "-bytes"; return (ReadOnlyMemory<byte>)JsonSerializer.SerializeToUtf8Bytes(c, FeedbackJson.Options); }).ToList();
    clock.Restart();
    foreach (var chunk in bytes.Chunk(kafka.LoaderBatchSize)) await engine.InsertJsonRowsAsync("events", chunk);
    var rawBytes = count / clock.Elapsed.TotalSeconds;
    Console.WriteLine($"raw engine insert of the same rows as JSON bytes (same batches): {count} rows, {rawBytes:0} rows/s");
    Console.WriteLine($"ratio loader/raw JSON bytes rows/s: {loaded / rawBytes:0.00} (producer running), {drained / rawBytes:0.00} (draining a backlog)");

    // What the loader spends on each message before the insert, as CPU time of the process while nothing else of
    // it runs (steadier than wall time on a shared machine): the pass-through check, and reading the message into
    // an event and writing it again (the path before issue 15, and still the path of messages that are not plain).
    await MergesDoneAsync();
    var values = events.Select(e => JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options)).ToList();
    var plainCpu = CpuPerMessage(v => { if (!EventMessage.IsPlain(v, out _)) throw new InvalidOperationException("not plain"); });
    var parseCpu = CpuPerMessage(v => JsonSerializer.SerializeToUtf8Bytes(EventLoader.Parse(v).Event, FeedbackJson.Options));
    Console.WriteLine($"CPU per message: pass-through check {plainCpu:0.00} µs, read and write again {parseCpu:0.00} µs");

    double CpuPerMessage(Action<byte[]> work)
    {
        foreach (var v in values.Take(5000)) work(v); // compiled and tiered up first
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var v in values) work(v);
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / values.Count;
    }

    // Each raw insert starts once the engine has merged the parts written before it (at most 60 s), so that it
    // does not share the CPU with merges of the previous phase's rows.
    async Task MergesDoneAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (await engine.QueryAsync<MergeCount>("SELECT count() AS n FROM system.merges"))[0].N > 0) await Task.Delay(200);
    }
}

internal sealed record MergeCount(long N);

internal sealed record Assignment(string TurnId, uint TopicId);
