using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Feedback.Analytics.Events;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Loading;
using Feedback.Analytics.Store;
using Feedback.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Feedback.Tests.Kafka;

/// <summary>
/// Ingest → Kafka (librdkafka's mock cluster on 127.0.0.1, real protocol) → loader → embedded store, with faults.
/// Each test has a cluster and topics of its own.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class KafkaTests(EmbeddedStore store) : IDisposable
{
    private readonly MockKafkaCluster cluster = StartCluster();
    private KafkaOptions kafka => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        ProduceTimeout = TimeSpan.FromSeconds(2),
        LoaderBatchWait = TimeSpan.FromMilliseconds(200),
        LoaderSessionTimeout = TimeSpan.FromSeconds(6),
    };

    private static MockKafkaCluster StartCluster()
    {
        var cluster = MockKafkaCluster.Start();
        var defaults = new KafkaOptions();
        cluster.CreateTopic(defaults.Topic, 4);
        cluster.CreateTopic(defaults.DeadLetterTopic, 1);
        return cluster;
    }

    private KeyValuePair<string, string?>[] Settings =>
    [
        new("Feedback:Kafka:BootstrapServers", cluster.BootstrapServers),
        new("Feedback:Kafka:ProduceTimeout", kafka.ProduceTimeout.ToString()),
        new("Feedback:Kafka:LoaderBatchWait", kafka.LoaderBatchWait.ToString()),
    ];

    private Task<WebApplication> StartAsync(bool capture, bool load, params KeyValuePair<string, string?>[] more) =>
        FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, Capture = capture, Load = load, MineEvery = TimeSpan.Zero }, store.Engine, TextWriter.Null, [.. Settings, .. more]);

    private Task<long> StoredAsync(string project) => new EventStore(store.Engine).CountAsync(project);

    [Fact]
    public async Task Accepted_events_travel_through_kafka_keyed_by_conversation_and_are_stored_once()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var ingest = await StartAsync(capture: true, load: false);
        await using var worker = await StartAsync(capture: false, load: true);
        using var http = RawEvents.Client(ingest.Urls.First(), key);
        var body = RawEvents.Batch(RawEvents.Turn("t1"), RawEvents.Edit("t1", "4"), RawEvents.Turn("t2"));

        var response = await http.PostAsync("v1/batch", RawEvents.Json(body));
        var again = await http.PostAsync("v1/batch", RawEvents.Json(body)); // a client retry: same event ids

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await Eventually.TrueAsync(async () => await StoredAsync(project) == 3, "the loader stored the events");
        var messages = Consume(kafka.Topic, 6);
        Assert.All(messages, m => Assert.Equal($"{project}/c1", m.Message.Key));
        Assert.Single(messages.Select(m => m.Partition.Value).Distinct()); // one conversation, one partition: ordered
        Assert.Equal("Healthy", await new HttpClient().GetStringAsync(new Uri(new Uri(ingest.Urls.First()), "health")));
    }

    [Fact]
    public async Task While_the_broker_is_down_ingest_answers_503_and_after_recovery_every_acknowledged_event_is_stored_once()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var ingest = await StartAsync(capture: true, load: false);
        await using var worker = await StartAsync(capture: false, load: true);
        using var http = RawEvents.Client(ingest.Urls.First(), key);
        var before = RawEvents.Batch(RawEvents.Turn("t1"));
        var during = RawEvents.Batch(RawEvents.Turn("t2"), RawEvents.Edit("t2", "fixed"));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("v1/batch", RawEvents.Json(before))).StatusCode);

        cluster.SetAllDown();
        var refused = await http.PostAsync("v1/batch", RawEvents.Json(during));
        var health = await new HttpClient().GetAsync(new Uri(new Uri(ingest.Urls.First()), "health"));
        cluster.SetAllUp();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        // The client retries as told until the broker takes the batch.
        await Eventually.TrueAsync(async () => (await http.PostAsync("v1/batch", RawEvents.Json(during))).StatusCode == HttpStatusCode.OK, "ingest accepts again");
        await Eventually.TrueAsync(async () => await StoredAsync(project) == 3, "every acknowledged event is stored");
        await Task.Delay(500); // anything produced twice has had time to be loaded twice
        Assert.Equal(3, await StoredAsync(project));
    }

    [Fact]
    public async Task A_loader_killed_after_inserting_but_before_committing_is_redelivered_without_duplicates()
    {
        var (project, _) = await store.NewProjectAsync();
        await ProduceAsync(Enumerable.Range(0, 20).Select(i => Event(project, $"t{i}")).ToArray());

        using var crash = new CancellationTokenSource();
        var firstMetrics = new LoaderMetrics();
        var first = new EventLoader(kafka, new CrashAfterInsert(store.Engine, crash), firstMetrics, NullLogger<EventLoader>.Instance);
        await first.RunAsync(crash.Token);
        var insertedBeforeCrash = await StoredAsync(project); // its first batch: inserted, never committed
        Assert.InRange(insertedBeforeCrash, 1, 20);

        var secondMetrics = new LoaderMetrics();
        using var stop = new CancellationTokenSource();
        var second = new EventLoader(kafka, store.Engine, secondMetrics, NullLogger<EventLoader>.Instance).RunAsync(stop.Token);
        // Nothing was committed, so the next loader in the group gets everything again, the crashed batch included.
        await Eventually.TrueAsync(() => Task.FromResult(secondMetrics.Loaded == 20), "the batch is redelivered to the next loader");
        await stop.CancelAsync();
        await second;

        Assert.Equal(20, await StoredAsync(project));
        var raw = await store.Engine.QueryAsync<CountRow>("SELECT count() AS n FROM events WHERE project = {project:String}", new { project });
        Assert.InRange(raw[0].N, 20, 20 + insertedBeforeCrash); // written twice (unless merged already): FINAL hides it
    }

    [Fact]
    public async Task A_poison_message_lands_in_the_dead_letter_topic_with_a_reason_and_the_rest_flows()
    {
        var (project, _) = await store.NewProjectAsync();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(kafka.Topic, new Message<string, byte[]> { Key = "x", Value = Encoding.UTF8.GetBytes("{not json") });
            await producer.ProduceAsync(kafka.Topic, new Message<string, byte[]> { Key = "x", Value = Encoding.UTF8.GetBytes("""{"kind":"turn"}""") });
        }
        await ProduceAsync(Event(project, "t1"), Event(project, "t2"));

        var metrics = new LoaderMetrics();
        using var stop = new CancellationTokenSource();
        var loader = new EventLoader(kafka, store.Engine, metrics, NullLogger<EventLoader>.Instance).RunAsync(stop.Token);
        await Eventually.TrueAsync(async () => await StoredAsync(project) == 2 && metrics.DeadLettered == 2, "good events stored, poison dead-lettered");
        await stop.CancelAsync();
        await loader;

        var dead = Consume(kafka.DeadLetterTopic, 2);
        var reasons = dead.Select(m => Encoding.UTF8.GetString(m.Message.Headers.GetLastBytes(EventLoader.ReasonHeader))).ToList();
        Assert.Contains(reasons, r => r.StartsWith("not an event:", StringComparison.Ordinal));
        Assert.Contains("event_id is missing", reasons);
        Assert.Equal("{not json", Encoding.UTF8.GetString(dead.Single(m => Encoding.UTF8.GetString(m.Message.Headers.GetLastBytes(EventLoader.ReasonHeader)).StartsWith("not an event", StringComparison.Ordinal)).Message.Value));
        Assert.Equal(0, metrics.Lag);
    }

    [Fact]
    public async Task A_batch_spanning_more_than_a_hundred_month_partitions_is_loaded_and_committed()
    {
        var (project, _) = await store.NewProjectAsync();
        var start = new DateTimeOffset(2005, 1, 15, 0, 0, 0, TimeSpan.Zero);
        await ProduceAsync(Enumerable.Range(0, 150).Select(month =>
        {
            var e = Event(project, $"t{month}");
            e.Timestamp = start.AddMonths(month);
            return e;
        }).ToArray());

        var metrics = new LoaderMetrics();
        using var stop = new CancellationTokenSource();
        var loader = new EventLoader(kafka with { LoaderBatchSize = 1000 }, store.Engine, metrics, NullLogger<EventLoader>.Instance).RunAsync(stop.Token);
        await Eventually.TrueAsync(async () => await StoredAsync(project) == 150 && metrics.Lag == 0, "every month stored and the offsets committed");
        await stop.CancelAsync();
        await loader;

        Assert.Equal(0, metrics.DeadLettered);
        Assert.Equal(150, metrics.Loaded);
    }

    [Fact]
    public async Task Events_the_store_cannot_hold_are_dead_lettered_with_a_reason_not_retried_forever()
    {
        var (project, _) = await store.NewProjectAsync();
        var infinite = System.Text.Json.JsonSerializer.Serialize(Event(project, "t1"), Feedback.Events.FeedbackJson.Options).Replace("\"kind\":", "\"rating\":1e400,\"kind\":", StringComparison.Ordinal);
        var future = Event(project, "t2");
        future.Timestamp = new DateTimeOffset(2500, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var loneSurrogate = System.Text.Json.JsonSerializer.Serialize(Event(project, "t3"), Feedback.Events.FeedbackJson.Options).Replace("\"t3\"", "\"\\ud800\"", StringComparison.Ordinal);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            foreach (var value in new[] { infinite, System.Text.Json.JsonSerializer.Serialize(future, Feedback.Events.FeedbackJson.Options), loneSurrogate })
                await producer.ProduceAsync(kafka.Topic, new Message<string, byte[]> { Key = "x", Value = Encoding.UTF8.GetBytes(value) });
        }
        await ProduceAsync(Event(project, "t4"));

        var metrics = new LoaderMetrics();
        using var stop = new CancellationTokenSource();
        var loader = new EventLoader(kafka, store.Engine, metrics, NullLogger<EventLoader>.Instance).RunAsync(stop.Token);
        await Eventually.TrueAsync(async () => await StoredAsync(project) == 1 && metrics.DeadLettered == 3, "the good event stored, the three others dead-lettered");
        await stop.CancelAsync();
        await loader;

        var reasons = Consume(kafka.DeadLetterTopic, 3).Select(m => Encoding.UTF8.GetString(m.Message.Headers.GetLastBytes(EventLoader.ReasonHeader))).ToList();
        Assert.Contains("rating or rating_scale is not a finite number", reasons);
        Assert.Contains("timestamp is outside what the store holds", reasons);
        Assert.Contains(reasons, r => r.StartsWith("not an event:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_with_only_the_fields_the_loader_requires_is_stored_with_the_engines_defaults()
    {
        var (project, _) = await store.NewProjectAsync();
        var id = Guid.CreateVersion7();
        var minimal = $$$"""{"event_id":"{{{id}}}","kind":"reaction","project":"{{{project}}}","timestamp":"2026-11-22T10:00:00+00:00"}""";
        Assert.True(EventMessage.IsPlain(Encoding.UTF8.GetBytes(minimal), out _)); // passed through, not read and written again
        await ProduceRawAsync(minimal);

        var metrics = new LoaderMetrics();
        using var stop = new CancellationTokenSource();
        var loader = new EventLoader(kafka, store.Engine, metrics, NullLogger<EventLoader>.Instance).RunAsync(stop.Token);
        await Eventually.TrueAsync(async () => await StoredAsync(project) == 1 && metrics.Lag == 0, "the event stored and committed");
        await stop.CancelAsync();
        await loader;

        var read = (await store.Engine.QueryAsync<Feedback.Events.FeedbackEvent>("SELECT * FROM events FINAL WHERE project = {project:String}", new { project })).Single();
        Assert.Equal(id, read.EventId);
        Assert.Equal(DateTimeOffset.UnixEpoch, read.ReceivedAt); // the loader stamps nothing; ingest stamps received_at
        Assert.Equal(("", "", ""), (read.Thumb, read.UserId, read.Response));
        Assert.Null(read.Rating);
        Assert.Empty(read.Metadata!);
        Assert.Empty(read.Request!);
        Assert.Equal(0, metrics.DeadLettered);
    }

    [Fact]
    public async Task A_plain_message_the_engine_refuses_is_dead_lettered_and_the_rest_of_its_batch_is_stored()
    {
        var (project, _) = await store.NewProjectAsync();
        // Plain to the loader (an int as .NET writes it), but latency_ms is UInt32 in the store.
        var refused = System.Text.Json.JsonSerializer.Serialize(Event(project, "bad"), Feedback.Events.FeedbackJson.Options)
            .Replace("\"kind\":", "\"latency_ms\":-1,\"kind\":", StringComparison.Ordinal);
        Assert.True(EventMessage.IsPlain(Encoding.UTF8.GetBytes(refused), out _));
        await ProduceAsync(Event(project, "t1"));
        await ProduceRawAsync(refused);
        await ProduceAsync(Event(project, "t2"));

        var metrics = new LoaderMetrics();
        using var stop = new CancellationTokenSource();
        var loader = new EventLoader(kafka with { LoaderBatchWait = TimeSpan.FromSeconds(1) }, store.Engine, metrics, NullLogger<EventLoader>.Instance).RunAsync(stop.Token);
        await Eventually.TrueAsync(async () => await StoredAsync(project) == 2 && metrics.DeadLettered == 1 && metrics.Lag == 0, "the good events stored, the refused one dead-lettered, all committed");
        await stop.CancelAsync();
        await loader;

        var dead = Consume(kafka.DeadLetterTopic, 1).Single();
        Assert.StartsWith("the store refused the event:", Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(EventLoader.ReasonHeader)), StringComparison.Ordinal);
        Assert.Equal(refused, Encoding.UTF8.GetString(dead.Message.Value)); // the message as it came
        Assert.Equal(2, metrics.Loaded);
    }

    [Fact]
    public async Task An_event_over_a_megabyte_travels_through_kafka_and_one_over_the_message_limit_is_rejected_with_a_reason()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var ingest = await StartAsync(capture: true, load: false);
        await using var smallIngest = await StartAsync(capture: true, load: false, new KeyValuePair<string, string?>("Feedback:Kafka:MaxMessageBytes", "100000"));
        await using var worker = await StartAsync(capture: false, load: true);
        using var http = RawEvents.Client(ingest.Urls.First(), key);
        using var small = RawEvents.Client(smallIngest.Urls.First(), key);
        var big = RawEvents.Turn("big", prompt: new string('悉', 200_000), response: new string('尼', 200_000)); // 1.2 MB of UTF-8

        var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(big)));
        var refused = await small.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("big2", response: new string('r', 150_000)), RawEvents.Turn("fits"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // librdkafka's default 1,000,000-byte limit made this a 503 forever
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var results = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["results"]!.AsArray();
        Assert.Equal(["rejected", "accepted"], results.Select(r => (string)r!["status"]!));
        Assert.Contains("bytes as a Kafka message; the largest is 100000", (string)results[0]!["reason"]!, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => await StoredAsync(project) == 2, "the big event and the one that fits are stored");
    }

    private static Feedback.Events.FeedbackEvent Event(string project, string turnId)
    {
        var e = System.Text.Json.JsonSerializer.Deserialize<Feedback.Events.FeedbackEvent>(RawEvents.Turn(turnId).ToJsonString(), Feedback.Events.FeedbackJson.Options)!;
        e.Project = project;
        e.ReceivedAt = DateTimeOffset.UtcNow;
        return e;
    }

    private async Task ProduceAsync(params Feedback.Events.FeedbackEvent[] events)
    {
        using var sink = new Feedback.Ingest.Kafka.KafkaEventSink(KafkaSink.Options(kafka), NullLogger<Feedback.Ingest.Kafka.KafkaEventSink>.Instance);
        await sink.WriteAsync(events, CancellationToken.None);
    }

    private async Task ProduceRawAsync(string value)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        await producer.ProduceAsync(kafka.Topic, new Message<string, byte[]> { Key = "x", Value = Encoding.UTF8.GetBytes(value) });
    }

    private List<ConsumeResult<string, byte[]>> Consume(string topic, int count)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "test-" + Guid.NewGuid(),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var messages = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (messages.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } m) messages.Add(m);
        }
        consumer.Close();
        Assert.Equal(count, messages.Count);
        return messages;
    }

    public void Dispose() => cluster.Dispose();

    private sealed record CountRow(long N);

    /// <summary>A store that inserts, then "kills" the loader before it can commit (as a crash would).</summary>
    private sealed class CrashAfterInsert(IClickHouse inner, CancellationTokenSource crash) : IClickHouse
    {
        public Task ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) => inner.ExecuteAsync(sql, parameters, cancellationToken);

        public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) => inner.QueryAsync<T>(sql, parameters, cancellationToken);

        public async Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default)
        {
            await inner.InsertAsync(table, rows, cancellationToken);
            await crash.CancelAsync();
            crash.Token.ThrowIfCancellationRequested();
        }

        public async Task InsertJsonRowsAsync(string table, IReadOnlyCollection<ReadOnlyMemory<byte>> rows, CancellationToken cancellationToken = default)
        {
            await inner.InsertJsonRowsAsync(table, rows, cancellationToken);
            await crash.CancelAsync();
            crash.Token.ThrowIfCancellationRequested();
        }
    }
}
