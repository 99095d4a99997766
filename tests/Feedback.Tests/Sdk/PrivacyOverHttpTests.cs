using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Feedback.Events;
using Feedback.Privacy;

namespace Feedback.Tests.Sdk;

/// <summary>A real FeedbackClient posting to a tiny real HTTP server on 127.0.0.1 that keeps every body it gets.</summary>
public sealed class PrivacyOverHttpTests : IAsyncLifetime
{
    private readonly List<byte[]> bodies = [];
    private WebApplication server = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        server = builder.Build();
        server.MapPost("/v1/batch", async (HttpRequest request) =>
        {
            using var raw = new MemoryStream();
            await request.Body.CopyToAsync(raw);
            lock (bodies) bodies.Add(raw.ToArray());
            var events = Parse(raw.ToArray());
            var results = new JsonArray([.. events.Select((e, i) => new JsonObject { ["index"] = i, ["event_id"] = (string?)e["event_id"], ["status"] = "accepted" })]);
            return Results.Text(new JsonObject { ["results"] = results }.ToJsonString(), "application/json");
        });
        await server.StartAsync();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private FeedbackClient Client(Action<FeedbackClientOptions>? configure = null)
    {
        var options = new FeedbackClientOptions { Endpoint = new Uri(server.Urls.First()), WriteKey = "fbw_test" };
        configure?.Invoke(options);
        return new FeedbackClient(options);
    }

    private static List<JsonNode> Parse(byte[] gzipped)
    {
        using var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        return [.. JsonNode.Parse(gzip)!["events"]!.AsArray().Select(e => e!)];
    }

    private List<JsonNode> SentEvents()
    {
        lock (bodies) return [.. bodies.SelectMany(Parse)];
    }

    private string SentText()
    {
        lock (bodies) return string.Join('\n', bodies.Select(b => Encoding.UTF8.GetString(Decompress(b))));
    }

    private static byte[] Decompress(byte[] gzipped)
    {
        using var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    [Fact]
    public async Task Redacted_values_never_appear_in_the_bytes_sent()
    {
        await using (var client = Client())
        {
            var turn = client.TrackTurn(new Turn
            {
                UserId = "u1",
                SessionId = "s1",
                ConversationId = "c1",
                Model = "m",
                Messages = [new RequestMessage("user", "I am jane.doe@example.com, call +44 20 7946 0958")],
                Response = "Noted, Jane.",
                Metadata = new Dictionary<string, string> { ["ip"] = "203.0.113.7" },
            });
            client.TrackEdit(turn, "Your card 4111 1111 1111 1111 is on file.");
            client.TrackFollowUp(turn, "my server is 2001:db8::8a2e:370:7334");
            client.TrackReaction(turn, Reaction.ThumbsDown, "mail jane.doe@example.com instead");
            client.TrackCopy(turn, "415-555-2671");
            await client.FlushAsync();
            Assert.Equal(5, client.Sent);
        }

        var text = SentText();
        foreach (var secret in new[] { "jane.doe@example.com", "7946", "203.0.113.7", "4111", "2001:db8", "555-2671" })
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        foreach (var placeholder in new[] { "[EMAIL]", "[PHONE]", "[IP]", "[CARD]" })
            Assert.Contains(placeholder, text, StringComparison.Ordinal);
        Assert.Contains("Noted, Jane.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_opted_out_user_sends_nothing_and_others_still_do()
    {
        await using (var client = Client(o => o.HasConsent = user => user != "no-consent"))
        {
            client.OptOut("u-out");
            var outTurn = client.TrackTurn(new Turn { UserId = "u-out", SessionId = "s", ConversationId = "c-out", Prompt = "hi", Response = "hello", Model = "m" });
            client.TrackEdit(outTurn, "hey");
            client.TrackTurn(new Turn { UserId = "no-consent", SessionId = "s", ConversationId = "c-nc", Prompt = "hi", Response = "hello", Model = "m" });
            client.TrackTurn(new Turn { UserId = "u-in", SessionId = "s", ConversationId = "c-in", Prompt = "hi", Response = "hello", Model = "m" });
            await client.FlushAsync();

            Assert.Equal(3, client.DroppedByConsent);
            Assert.Equal(1, client.Sent);
        }

        var sent = SentEvents();
        Assert.Equal(["u-in"], sent.Select(e => (string)e["user_id"]!));
    }

    [Fact]
    public async Task Sampling_sends_whole_conversations_or_nothing_of_them()
    {
        var conversations = Enumerable.Range(0, 40).Select(i => $"conv-{i}").ToList();
        var expectedKept = conversations.Where(c => ConversationSampling.IsSampledIn(c, 0.5)).ToHashSet();
        Assert.InRange(expectedKept.Count, 1, conversations.Count - 1); // both outcomes occur

        await using (var client = Client(o => o.SampleRate = 0.5))
        {
            foreach (var conversation in conversations)
            {
                var first = client.TrackTurn(new Turn { UserId = "u", SessionId = "s", ConversationId = conversation, Prompt = "a", Response = "b", Model = "m" });
                client.TrackReaction(first, Reaction.ThumbsUp);
                var second = client.TrackTurn(new Turn { UserId = "u", SessionId = "s", ConversationId = conversation, Prompt = "c", Response = "d", Model = "m", PreviousTurnId = first.TurnId });
                client.TrackRegenerate(first, second);
            }
            await client.FlushAsync();

            Assert.Equal((conversations.Count - expectedKept.Count) * 4, client.SampledOut);
        }

        var perConversation = SentEvents().GroupBy(e => (string)e["conversation_id"]!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expectedKept.Order(), perConversation.Keys.Order());
        Assert.All(perConversation.Values, count => Assert.Equal(4, count));
    }

    private static Turn TurnOf(string user) =>
        new() { UserId = user, SessionId = "s", ConversationId = $"c-{user}", Prompt = "hi", Response = "hello", Model = "m" };

    [Fact]
    public async Task An_opt_out_removes_that_users_events_still_queued()
    {
        await using (var client = Client(o => o.FlushInterval = TimeSpan.FromHours(1))) // nothing leaves before the opt-out
        {
            var outTurn = client.TrackTurn(TurnOf("u-out"));
            client.TrackReaction(outTurn, Reaction.ThumbsUp);
            client.TrackTurn(TurnOf("u-in"));

            client.OptOut("u-out");
            await client.FlushAsync();

            Assert.Equal((1, 2), (client.Sent, client.DroppedByConsent));
        }

        Assert.Equal(["u-in"], SentEvents().Select(e => (string)e["user_id"]!));
    }

    [Fact]
    public async Task An_opt_out_removes_that_users_spooled_events_also_those_of_an_earlier_run()
    {
        var spool = Path.Combine(Path.GetTempPath(), "feedback-optout-" + Guid.NewGuid().ToString("N"));
        try
        {
            var offline = new FeedbackClientOptions
            {
                Endpoint = new Uri($"http://127.0.0.1:{ChaosServer.FreePort()}"),
                MaxAttempts = 1,
                FlushInterval = TimeSpan.FromHours(1),
                SpoolDirectory = spool,
            };
            await using (var client = new FeedbackClient(offline))
            {
                foreach (var user in new[] { "u-out", "u-in", "u-gone" }) client.TrackReaction(client.TrackTurn(TurnOf(user)), Reaction.ThumbsUp);
                await client.FlushAsync(); // offline: all six wait in the spool

                client.OptOut("u-gone"); // in the same run: the spool file is rewritten without them
                await client.FlushAsync();

                var spooled = string.Concat(Directory.GetFiles(spool, "*.jsonl").Select(File.ReadAllText));
                Assert.DoesNotContain("u-gone", spooled, StringComparison.Ordinal);
                Assert.Contains("u-out", spooled, StringComparison.Ordinal);
                Assert.Equal(2, client.DroppedByConsent);
            }

            // The next start: the app restores its stored opt-outs before the spool is sent.
            await using (var client = Client(o => (o.SpoolDirectory, o.FlushInterval) = (spool, TimeSpan.FromHours(1))))
            {
                client.OptOut("u-out");
                await client.FlushAsync();

                Assert.Equal((2, 2), (client.Sent, client.DroppedByConsent));
            }
            Assert.Equal(["u-in", "u-in"], SentEvents().Select(e => (string)e["user_id"]!));
            Assert.Empty(Directory.GetFiles(spool));
        }
        finally
        {
            if (Directory.Exists(spool)) Directory.Delete(spool, recursive: true);
        }
    }

    [Fact]
    public async Task The_spool_holds_only_redacted_text()
    {
        var spool = Path.Combine(Path.GetTempPath(), "feedback-redacted-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var offline = new FeedbackClient(new FeedbackClientOptions
            {
                Endpoint = new Uri($"http://127.0.0.1:{ChaosServer.FreePort()}"),
                MaxAttempts = 1,
                SpoolDirectory = spool,
            }))
            {
                var turn = offline.TrackTurn(TurnOf("u1") with { Prompt = "write to jane.doe@example.com" });
                offline.TrackReaction(turn, Reaction.ThumbsDown, "charge 4111 1111 1111 1111 instead");
                await offline.FlushAsync();
            }

            var spooled = string.Concat(Directory.GetFiles(spool, "*.jsonl").Select(File.ReadAllText));
            Assert.Contains("[EMAIL]", spooled, StringComparison.Ordinal);
            Assert.Contains("[CARD]", spooled, StringComparison.Ordinal);
            Assert.DoesNotContain("jane.doe", spooled, StringComparison.Ordinal);
            Assert.DoesNotContain("4111", spooled, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(spool)) Directory.Delete(spool, recursive: true);
        }
    }
}
