using System.Net;
using System.Text.Json.Nodes;
using Feedback.Tests.Process;

namespace Feedback.Tests.Trends;

/// <summary>The real `feedback trends` and `feedback compare`, through a running server and on their own.</summary>
public sealed class TrendsCliTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-trends-cli-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Trends_and_compare_print_tables_and_json_with_and_without_the_server()
    {
        await using (var server = await FeedbackProcess.ServeAsync(dataDirectory))
        {
            var key = System.Text.RegularExpressions.Regex.Match(server.Output, @"^\s+(fbw_\S+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
            var old = RawEvents.Turn("t1");
            old["model_version"] = "v1";
            var current = RawEvents.Turn("t2");
            current["model_version"] = "v2";
            using var http = RawEvents.Client(server.Url, key);
            using var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(old, current, Thumb("t1", "down"), Thumb("t2", "up"))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await FeedbackProcess.RunAsync(dataDirectory, "mine");

            var json = JsonNode.Parse(await FeedbackProcess.RunAsync(dataDirectory, "trends", "--by", "model_version", "--json"))!;
            var series = json["series"]!.AsArray();
            Assert.Equal(["v1", "v2"], series.Select(s => (string?)s!["key"]));
            Assert.Equal(1.0, (double)series[0]!["points"]![0]!["negative_rate"]!);
            Assert.Equal(1.0, (double)series[1]!["points"]![0]!["positive_rate"]!);

            var compare = await FeedbackProcess.RunAsync(dataDirectory, "compare", "v1", "v2");
            Assert.Matches(@"positive\s+0\.0%\s+100\.0%\s+\+100\.0 pts", compare);
        }

        // The store on its own.
        var table = await FeedbackProcess.RunAsync(dataDirectory, "trends", "--by", "model_version", "--model-version", "v2", "--interval", "hour");
        Assert.Matches(@"(?m)^model_version\s+time\s+turns\s+feedback\s+positive\s+negative", table);
        Assert.Matches(@"(?m)^v2\s+\d{4}-\d\d-\d\d \d\d:00\s+1\s+100\.0%\s+100\.0%\s+0\.0%", table);
        Assert.DoesNotContain("v1", table, StringComparison.Ordinal);
        var compareJson = JsonNode.Parse(await FeedbackProcess.RunAsync(dataDirectory, "compare", "v1", "v2", "--json"))!;
        Assert.Equal(-1.0, (double)compareJson["negative_rate_difference"]!["estimate"]!);
    }

    private static JsonObject Thumb(string turnId, string thumb)
    {
        var reaction = RawEvents.Edit(turnId, "");
        reaction.Remove("edited_response");
        reaction["kind"] = "reaction";
        reaction["thumb"] = thumb;
        return reaction;
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);
}
