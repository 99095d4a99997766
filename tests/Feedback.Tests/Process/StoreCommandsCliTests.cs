using System.Net;

namespace Feedback.Tests.Process;

/// <summary>The real `feedback report bias` and `feedback train-predictor` print the same through a running server as on their own.</summary>
public sealed class StoreCommandsCliTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-store-commands-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Report_bias_and_train_predictor_answer_the_same_with_and_without_the_server()
    {
        (int, string) bias, predictor;
        await using (var server = await FeedbackProcess.ServeAsync(dataDirectory))
        {
            var key = System.Text.RegularExpressions.Regex.Match(server.Output, @"^\s+(fbw_\S+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
            using var http = RawEvents.Client(server.Url, key);
            using var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(
                RawEvents.Turn("t1", "Capital of Australia?", "Sydney."), RawEvents.Edit("t1", "Canberra."))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await FeedbackProcess.RunAsync(dataDirectory, "mine");

            bias = await FeedbackProcess.TryRunAsync(dataDirectory, "report", "bias");
            predictor = await FeedbackProcess.TryRunAsync(dataDirectory, "train-predictor");
        }

        Assert.Equal(0, bias.Item1);
        Assert.Contains("edit", bias.Item2, StringComparison.Ordinal);
        Assert.Equal(1, predictor.Item1); // one turn and no reactions: nothing to train on
        Assert.Equal(bias, await FeedbackProcess.TryRunAsync(dataDirectory, "report", "bias"));
        Assert.Equal(predictor, await FeedbackProcess.TryRunAsync(dataDirectory, "train-predictor"));
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);
}
