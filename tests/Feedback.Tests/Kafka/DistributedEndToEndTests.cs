using System.Text.Json.Nodes;
using Feedback.Analytics.Export;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Store.Server;
using Feedback.Server.Hosting;

namespace Feedback.Tests.Kafka;

/// <summary>
/// The distributed mode end to end: SDK → ingest (real HTTP) → Kafka (mock cluster, real protocol) → loader →
/// ClickHouse server store (ClickHouse.Driver + Dapper over the ClickHouse HTTP interface) → miner → export.
/// The same turn and edit as the embedded end-to-end test give the same pair.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class DistributedEndToEndTests(EmbeddedStore store)
{
    [Fact]
    public async Task A_turn_and_its_edit_become_the_same_pair_as_in_the_embedded_mode()
    {
        using var cluster = MockKafkaCluster.Start();
        var kafka = new KafkaOptions();
        cluster.CreateTopic(kafka.Topic, 4);
        cluster.CreateTopic(kafka.DeadLetterTopic, 1);
        await using var clickHouse = await store.StartClickHouseHttpAsync();
        using var server = new ClickHouseServerStore($"Host=127.0.0.1;Port={clickHouse.Url.Port};Username=default;Password={EmbeddedStore.ClickHousePassword}");
        KeyValuePair<string, string?>[] settings = [new("Feedback:Kafka:BootstrapServers", cluster.BootstrapServers), new("Feedback:Kafka:LoaderBatchWait", "00:00:00.200")];
        await using var ingest = await FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, MineEvery = TimeSpan.Zero }, server, TextWriter.Null, settings);
        await using var worker = await FeedbackHost.StartAsync(new FeedbackHostOptions { Port = 0, Capture = false, Load = true, MineEvery = TimeSpan.Zero }, server, TextWriter.Null, settings);
        var project = "d-" + Guid.NewGuid().ToString("N")[..10];
        var key = await new ProjectKeys(server).CreateProjectAsync(project);

        await using (var client = new FeedbackClient(new FeedbackClientOptions { Endpoint = new Uri(ingest.Urls.First()), WriteKey = key }))
        {
            var turn = client.TrackTurn(new Turn
            {
                UserId = "user-1",
                SessionId = "session-1",
                ConversationId = "conv-1",
                Prompt = "When did Apollo 11 land on the moon?",
                Response = "Apollo 11 landed on the moon on July 21, 1968.",
                Model = "gpt-test",
                ModelVersion = "2026-01",
            });
            client.TrackEdit(turn, "Apollo 11 landed on the moon on July 20, 1969.");
            await client.FlushAsync();
            Assert.Equal(2, client.Sent);
        }
        var events = new Feedback.Analytics.Events.EventStore(server);
        await Eventually.TrueAsync(async () => await events.CountAsync(project) == 2, "the loader stored both events");
        await worker.Services.GetRequiredService<MiningJob>().RunAsync();
        using var output = new MemoryStream();
        var exported = await worker.Services.GetRequiredService<DpoExport>().WriteAsync(project, output);

        Assert.Equal(1, exported);
        var line = JsonNode.Parse(output.ToArray())!;
        Assert.Equal("When did Apollo 11 land on the moon?", (string)line["prompt"]!);
        Assert.Equal("Apollo 11 landed on the moon on July 20, 1969.", (string)line["chosen"]!);
        Assert.Equal("Apollo 11 landed on the moon on July 21, 1968.", (string)line["rejected"]!);
        Assert.Equal("edit", (string)line["meta"]!["source"]!);
        Assert.Equal(2, line["meta"]!["source_event_ids"]!.AsArray().Count);
        Assert.Equal("gpt-test", (string)line["meta"]!["model"]!);
    }
}
