using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feedback.Events;
using Feedback.Simulation;
using Feedback.Tests.Process;

namespace Feedback.Tests.Topics;

/// <summary>The real `feedback topics`, through a running server and on its own.</summary>
public sealed class TopicsCliTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-topics-cli-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Topics_print_as_a_table_and_as_json_with_and_without_the_server()
    {
        await using (var server = await FeedbackProcess.ServeAsync(dataDirectory))
        {
            var key = System.Text.RegularExpressions.Regex.Match(server.Output, @"^\s+(fbw_\S+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
            using var http = RawEvents.Client(server.Url, key);
            var (events, _) = ComplaintTraffic.Generate("default", 200, seed: 61, DateTimeOffset.UtcNow.AddDays(-10), TimeSpan.FromDays(7));
            foreach (var batch in events.Chunk(500))
            {
                using var response = await http.PostAsync("v1/batch", RawEvents.Json(JsonSerializer.Serialize(new { events = batch }, FeedbackJson.Options)));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            await FeedbackProcess.RunAsync(dataDirectory, "mine");

            var table = await FeedbackProcess.RunAsync(dataDirectory, "topics", "--refit", "--interval", "week");
            Assert.Matches(@"(?m)^id\s+size\s+trend\s+label$", table);
            Assert.Matches(@"(?m)^tp_1\s+\d+\s", table);
        }

        var json = JsonNode.Parse(await FeedbackProcess.RunAsync(dataDirectory, "topics", "--json", "--limit", "2"))!;
        var topics = json["topics"]!.AsArray();
        Assert.Equal(2, topics.Count);
        Assert.All(topics, t => Assert.StartsWith("tp_", (string)t!["id"]!, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);
}
