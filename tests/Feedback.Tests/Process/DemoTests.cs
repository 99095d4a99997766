using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Feedback.Tests.Dashboard;
using Xunit.Abstractions;

namespace Feedback.Tests.Process;

/// <summary>
/// `feedback serve --demo` as a newcomer runs it: the dashboard link it prints opens, in Chromium, a full board over a
/// month of simulated traffic: trends, a significant version comparison, topics and mined data. Leaves
/// artifacts/demo.png.
/// </summary>
public sealed partial class DemoTests(ITestOutputHelper output) : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-demo-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_demo_prints_a_dashboard_link_that_opens_a_full_board()
    {
        BrowserScript.AssertChromiumInstalled();
        await using var serve = await FeedbackProcess.ServeAsync(dataDirectory, "--demo");
        // A bound against a hung demo, not a speed check: on 2 quiet cores the link comes about 30 s after start.
        await Eventually.TrueAsync(() => Task.FromResult(DemoLink().IsMatch(serve.Output)), "the demo prints its dashboard link", TimeSpan.FromMinutes(5));

        var link = DemoLink().Match(serve.Output);
        Assert.StartsWith(serve.Url.TrimEnd('/'), link.Groups[1].Value, StringComparison.Ordinal);
        using var http = RawEvents.Client(serve.Url, link.Groups[2].Value);
        var now = DateTime.UtcNow;
        var trends = (await http.GetFromJsonAsync<JsonObject>(
            $"v1/trends?from={now.AddDays(-31):yyyy-MM-ddTHH:mm:ssZ}&to={now.AddDays(1):yyyy-MM-ddTHH:mm:ssZ}&interval=day"))!;
        var days = trends["series"]!.AsArray().SelectMany(s => s!["points"]!.AsArray()).Count(p => (long)p!["turns"]! > 0);
        Assert.True(days >= 28, $"the demo's turns cover {days} days, not a month");

        var screenshot = BrowserScript.Artifact("demo.png");
        var seen = await BrowserScript.RunAsync(output, "dashboard-check.mjs", $"{link.Groups[1].Value}#key={link.Groups[2].Value}", screenshot);

        Assert.True(seen["error"] is null, $"the browser run failed: {seen["error"]}\nconsole: {seen["console"]}");
        Assert.Equal(3, (int)seen["charts"]!);
        Assert.True((int)seen["chartPoints"]! >= 60, $"{seen["chartPoints"]} points: not a month of two or more model versions");
        Assert.Matches(@"negative rate\t[^\n]*\] significant", (string)seen["compare"]!); // the planted difference between v1 and v2
        Assert.True((int)seen["topics"]! >= 4, $"{seen["topics"]} topics for the demo's planted complaint themes");
        Assert.True(seen["miningSources"]!.AsArray().Count >= 4, $"pairs of {seen["miningSources"]!.ToJsonString()} only");
        Assert.True(int.Parse((string)seen["miningLabels"]!, System.Globalization.CultureInfo.InvariantCulture) > 0, "no labels mined");
        Assert.True((int)seen["downloadedLines"]! > 0, "the export download is empty");
        Assert.True(new FileInfo(screenshot).Length > 50_000, $"the screenshot is suspiciously small: {new FileInfo(screenshot).Length} bytes");
        output.WriteLine($"screenshot: {screenshot}");
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);

    [GeneratedRegex(@"Demo: its dashboard.*\n\s+(\S+)#key=(fbr_\S+)")]
    private static partial Regex DemoLink();
}
