using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Feedback.Analytics.Events;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Loading;
using Feedback.Analytics.Store;
using Feedback.Cli.Hosting;
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

    private Task<WebApplication> StartAsync(bool capture, bool load) =>
        FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, Capture = capture, Load = load, MineEvery = TimeSpan.Zero }, store.Engine, TextWriter.Null, Settings);

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

    private static Feedback.Events.FeedbackEvent Event(string project, string turnId)
    {
        var e = System.Text.Json.JsonSerializer.Deserialize<Feedback.Events.FeedbackEvent>(RawEvents.Turn(turnId).ToJsonString(), Feedback.Events.FeedbackJson.Options)!;
        e.Project = project;
        e.ReceivedAt = DateTimeOffset.UtcNow;
        return e;
    }

    private async Task ProduceAsync(params Feedback.Events.FeedbackEvent[] events)
    {
        using var sink = new Feedback.Ingest.Kafka.KafkaEventSink(kafka, NullLogger<Feedback.Ingest.Kafka.KafkaEventSink>.Instance);
        await sink.WriteAsync(events, CancellationToken.None);
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
    }
}
