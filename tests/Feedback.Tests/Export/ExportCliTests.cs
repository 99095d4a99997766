using System.Net;
using System.Text.Json.Nodes;
using Feedback.Tests.Process;

namespace Feedback.Tests.Export;

/// <summary>The real `feedback export` with the new options, through a running server and on its own.</summary>
public sealed class ExportCliTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-export-cli-" + Guid.NewGuid().ToString("N"));

    private string Out(string name) => Path.Combine(dataDirectory, name);

    [Fact]
    public async Task Watermarked_exports_deliver_each_pair_once_with_and_without_the_server()
    {
        await using (var server = await FeedbackProcess.ServeAsync(dataDirectory))
        {
            var key = System.Text.RegularExpressions.Regex.Match(server.Output, @"^\s+(fbw_\S+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
            using var http = RawEvents.Client(server.Url, key);
            using var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(
                RawEvents.Turn("t1", "Capital of Australia?", "Sydney."), RawEvents.Edit("t1", "Canberra."))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await FeedbackProcess.RunAsync(dataDirectory, "mine");

            // Through the server's /v1 routes, with the local token.
            // KTO rows are the unpaired labels: the heavily edited answer is undesirable.
            Assert.Contains("Exported 1 rows", await FeedbackProcess.RunAsync(dataDirectory, "export", "--format", "kto", "--watermark", "nightly", "--out", Out("1.jsonl")), StringComparison.Ordinal);
            Assert.Equal([("Sydney.", false)], File.ReadAllLines(Out("1.jsonl")).Select(l => JsonNode.Parse(l)!).Select(l => ((string)l["completion"]!, (bool)l["label"]!)));
            Assert.Contains("Exported 0 rows", await FeedbackProcess.RunAsync(dataDirectory, "export", "--format", "kto", "--watermark", "nightly", "--out", Out("2.jsonl")), StringComparison.Ordinal);
            Assert.Contains("Exported 1 pairs", await FeedbackProcess.RunAsync(dataDirectory, "export", "--format", "parquet", "--out", Out("all.parquet")), StringComparison.Ordinal);
        }

        // The store on its own.
        Assert.Contains("Exported 1 pairs", await FeedbackProcess.RunAsync(dataDirectory, "export", "--format", "openai", "--source", "edit", "--watermark", "other", "--out", Out("3.jsonl")), StringComparison.Ordinal);
        Assert.Equal("Canberra.", (string?)JsonNode.Parse(Assert.Single(File.ReadAllLines(Out("3.jsonl"))))!["preferred_output"]![0]!["content"]);
        Assert.Contains("Exported 0 pairs", await FeedbackProcess.RunAsync(dataDirectory, "export", "--format", "openai", "--watermark", "other", "--out", Out("4.jsonl")), StringComparison.Ordinal);
        Assert.Contains("Exported 0 pairs", await FeedbackProcess.RunAsync(dataDirectory, "export", "--model", "no-such-model", "--out", Out("5.jsonl")), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);
}
