using Feedback.Analytics.Events;
using Behaviour = Feedback.Tests.Sdk.ChaosServer.Behaviour;

namespace Feedback.Tests.Sdk;

/// <summary>The SDK against a misbehaving server over real HTTP, in front of the real ingest API and store.</summary>
[Collection(SharedStore.Name)]
public sealed class DeliveryTests(EmbeddedStore store) : IDisposable
{
    private readonly string spool = Path.Combine(Path.GetTempPath(), "feedback-spool-" + Guid.NewGuid().ToString("N"));

    private static FeedbackClientOptions Options(int port, string key, string? spoolDirectory = null) => new()
    {
        Endpoint = new Uri($"http://127.0.0.1:{port}"),
        WriteKey = key,
        MaxBatchSize = 10,
        FlushInterval = TimeSpan.FromMilliseconds(50),
        RequestTimeout = TimeSpan.FromSeconds(1),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        MaxAttempts = 100,
        SpoolDirectory = spoolDirectory,
    };

    private static void TrackTurns(FeedbackClient client, int count, string conversation = "c1")
    {
        for (var i = 0; i < count; i++)
        {
            client.TrackTurn(new Turn
            {
                UserId = "u1",
                SessionId = "s1",
                ConversationId = conversation,
                Prompt = $"question {i}",
                Response = $"answer {i}",
                Model = "m",
            });
        }
    }

    [Fact]
    public async Task Every_event_arrives_exactly_once_through_refusals_500s_429s_timeouts_and_lost_answers()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var ingest = await store.StartHostAsync();
        var port = ChaosServer.FreePort();
        await using var client = new FeedbackClient(Options(port, key));

        TrackTurns(client, 30); // sent while nothing listens: connection refused
        await Task.Delay(300);
        await using var chaos = await ChaosServer.StartAsync(port, ingest.Urls.First(),
            Behaviour.ServerError, Behaviour.TooManyRequests, Behaviour.Hang, Behaviour.ForwardThenFail, Behaviour.ServerError);
        await client.FlushAsync();

        Assert.Equal(30, await new EventStore(store.Engine).CountAsync(project));
        Assert.Equal(30, client.Sent);
        Assert.Equal(0, client.Dropped);
        Assert.Equal(0, client.Rejected);
        Assert.Equal([Behaviour.ServerError, Behaviour.TooManyRequests, Behaviour.Hang, Behaviour.ForwardThenFail, Behaviour.ServerError], chaos.Played.Take(5));
    }

    [Fact]
    public async Task With_partial_acceptance_only_what_was_not_settled_is_sent_again()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var ingest = await store.StartHostAsync();
        var port = ChaosServer.FreePort();
        await using var chaos = await ChaosServer.StartAsync(port, ingest.Urls.First());
        await using (var client = new FeedbackClient(Options(port, key) with { MaxBatchSize = 100 }))
        {
            var turn = client.TrackTurn(new Turn { UserId = "u", SessionId = "s", ConversationId = "c", Prompt = "p", Response = "r", Model = "m" });
            client.TrackReaction(turn, Reaction.Rated(9, 5)); // the server rejects it: rating above its scale
            client.TrackReaction(turn, Reaction.ThumbsUp);
            await client.FlushAsync();

            Assert.Equal(2, client.Sent);
            Assert.Equal(1, client.Rejected);
        }
        Assert.Equal(1, chaos.Requests); // the rejected event is not resent: it would fail again
        Assert.Equal(2, await new EventStore(store.Engine).CountAsync(project));
    }

    [Fact]
    public async Task With_the_spool_nothing_is_lost_or_doubled_across_a_kill_and_restart()
    {
        var (project, key) = await store.NewProjectAsync();
        var offline = ChaosServer.FreePort();

        // Offline: batches go to disk, nothing is dropped.
        var first = new FeedbackClient(Options(offline, key, spool) with { MaxAttempts = 2 });
        TrackTurns(first, 25);
        await first.FlushAsync();
        var spooled = Directory.GetFiles(spool, "*.jsonl");
        Assert.Equal(3, spooled.Length); // 10 + 10 + 5
        Assert.Equal(0, first.Dropped);
        await first.DisposeAsync(); // the app ends while still offline

        // What a kill leaves behind: a half-written batch (never renamed into place), and a batch the server
        // stored but whose deletion the kill prevented.
        await File.WriteAllTextAsync(Path.Combine(spool, "99999999999999999999-000001.jsonl.tmp"), "{\"event_id\":\"half");
        await using var ingest = await store.StartHostAsync();
        using (var http = RawEvents.Client(ingest.Urls.First(), key))
        {
            var alreadySent = "{\"events\":[" + string.Join(",", await File.ReadAllLinesAsync(spooled[0])) + "]}";
            Assert.True((await http.PostAsync("v1/batch", RawEvents.Json(alreadySent))).IsSuccessStatusCode);
        }

        // Restart, online: the spool is delivered and emptied.
        await using (var second = new FeedbackClient(Options(new Uri(ingest.Urls.First()).Port, key, spool)))
        {
            await second.FlushAsync();
            Assert.Equal(25, second.Sent);
        }
        Assert.Empty(Directory.GetFiles(spool));
        Assert.Equal(25, await new EventStore(store.Engine).CountAsync(project));
    }

    [Fact]
    public async Task Over_its_cap_the_spool_drops_the_oldest_batches_and_counts_them()
    {
        var (_, key) = await store.NewProjectAsync();
        var options = Options(ChaosServer.FreePort(), key, spool) with { MaxAttempts = 1, SpoolMaxBytes = 6_000 };
        await using var client = new FeedbackClient(options);

        for (var round = 0; round < 5; round++)
        {
            TrackTurns(client, 10, conversation: $"c{round}");
            await client.FlushAsync();
        }

        var left = Directory.GetFiles(spool, "*.jsonl").Order(StringComparer.Ordinal).ToList();
        Assert.InRange(left.Sum(f => new FileInfo(f).Length), 1, 6_000);
        Assert.True(client.Dropped > 0);
        Assert.Equal(50, client.Dropped + left.Sum(f => File.ReadAllLines(f).Length));
        Assert.Contains("\"c4\"", await File.ReadAllTextAsync(left[^1]), StringComparison.Ordinal); // the newest survive
    }

    public void Dispose()
    {
        if (Directory.Exists(spool)) Directory.Delete(spool, recursive: true);
    }
}
