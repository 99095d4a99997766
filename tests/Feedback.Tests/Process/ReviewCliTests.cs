using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Feedback.Tests.Process;

/// <summary>The real <c>feedback review</c> in child processes: answers piped into stdin, export and import, through the running server and on its own.</summary>
public sealed partial class ReviewCliTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-review-cli-" + Guid.NewGuid().ToString("N"));

    private static JsonObject Event(string kind, string conversation, string turn, int second) => new()
    {
        ["event_id"] = Guid.CreateVersion7().ToString(),
        ["kind"] = kind,
        ["timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-10).AddSeconds(second).ToString("O"),
        ["user_id"] = "u-" + conversation,
        ["session_id"] = "s-" + conversation,
        ["conversation_id"] = conversation,
        ["turn_id"] = turn,
    };

    [Fact]
    public async Task Piped_answers_export_and_import_review_the_whole_queue_through_the_server_and_the_store_keeps_it()
    {
        var exported = Path.Combine(dataDirectory, "queue.jsonl");
        string[] followUps = ["thanks, that's exactly it", "no, that's wrong", "what do you mean by the second part?"];
        await using (var server = await FeedbackProcess.ServeAsync(dataDirectory))
        {
            var key = KeyLine().Match(server.Output).Groups[1].Value;
            using var http = RawEvents.Client(server.Url, key);
            var events = new List<JsonNode>();
            for (var i = 0; i < followUps.Length; i++)
            {
                var turn = Event("turn", $"c{i}", $"t{i}", 0);
                turn["request"] = $"Question {i}: what is the capital of Australia?";
                turn["response"] = "Sydney.";
                turn["model"] = "m";
                var followUp = Event("follow_up", $"c{i}", $"t{i}", 10);
                followUp["message"] = followUps[i];
                events.AddRange([turn, followUp]);
            }
            using var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch([.. events])));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await FeedbackProcess.RunAsync(dataDirectory, "mine");

            Assert.Contains("Wrote 3 of the 3 follow-ups", await FeedbackProcess.RunAsync(dataDirectory, "review", "--export", exported), StringComparison.Ordinal);
            var queue = File.ReadAllLines(exported).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal(followUps.Order(), queue.Select(q => (string)q["follow_up"]!).Order());

            // A keypress per follow-up, piped: confirm the first, label the second 'correction' (3), then quit.
            var (code, output) = await FeedbackProcess.RunWithInputAsync(dataDirectory, "y\n3\nq\n", "review", "--reviewer", "ana");
            Assert.True(code == 0, output);
            Assert.Contains((string)queue[0]["follow_up"]!, output, StringComparison.Ordinal);
            Assert.Contains("Stored 2 reviews: 1 confirmed", output, StringComparison.Ordinal);

            // The third labelled elsewhere; the first two left blank; a broken line added.
            queue[2]["label"] = "none";
            await File.WriteAllLinesAsync(exported, [.. queue.Select(q => q.ToJsonString()), "{oops"]);
            (code, output) = await FeedbackProcess.TryRunAsync(dataDirectory, "review", "--import", exported, "--reviewer", "ben");
            Assert.Equal(1, code);
            Assert.Contains("Stored 1 reviews", output, StringComparison.Ordinal);
            Assert.Contains("left out 2 lines without a label", output, StringComparison.Ordinal);
            Assert.Contains("line 4: malformed line: not JSON", output, StringComparison.Ordinal);
        }

        // Server stopped: the command opens the store itself, and the reviews are there: nothing is left to review.
        Assert.Contains("Nothing to review", (await FeedbackProcess.RunWithInputAsync(dataDirectory, "y\n", "review")).Output, StringComparison.Ordinal);
        Assert.Equal((2, "--limit must be 1 to 500.\n"), await FeedbackProcess.TryRunAsync(dataDirectory, "review", "--limit", "0"));
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);

    [GeneratedRegex(@"^\s+(fbw_\S+)$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();
}
