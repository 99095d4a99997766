using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Feedback.Tests.Process;

/// <summary>`feedback serve --demo` as a newcomer runs it: the dashboard link it prints shows the demo's turns.</summary>
public sealed partial class DemoTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-demo-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_demo_prints_a_dashboard_link_whose_key_reads_the_demo_conversations()
    {
        await using var serve = await FeedbackProcess.ServeAsync(dataDirectory, "--demo");
        await Eventually.TrueAsync(() => Task.FromResult(DemoLink().IsMatch(serve.Output)), "the demo prints its dashboard link");

        var link = DemoLink().Match(serve.Output);
        Assert.StartsWith(serve.Url.TrimEnd('/'), link.Groups[1].Value, StringComparison.Ordinal);
        using var http = RawEvents.Client(serve.Url, link.Groups[2].Value);
        var now = DateTime.UtcNow;
        var trends = (await http.GetFromJsonAsync<JsonObject>(
            $"v1/trends?from={now.AddDays(-1):yyyy-MM-ddTHH:mm:ssZ}&to={now.AddDays(1):yyyy-MM-ddTHH:mm:ssZ}&interval=day"))!;
        var turns = trends["series"]!.AsArray().SelectMany(s => s!["points"]!.AsArray()).Sum(p => (long)p!["turns"]!);
        Assert.True(turns > 0, "the demo link's key reads no turns");
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);

    [GeneratedRegex(@"Demo: its dashboard.*\n\s+(\S+)#key=(fbr_\S+)")]
    private static partial Regex DemoLink();
}
