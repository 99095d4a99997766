using System.Text.Json.Nodes;
using Feedback.Analytics.Projects;
using Feedback.Server.Hosting;
using Feedback.Tests.Reading;
using Xunit.Abstractions;

namespace Feedback.Tests.Dashboard;

/// <summary>
/// The dashboard in real headless Chromium (Debian's package, driven by playwright-core; browser.targets installs
/// both): the product serves the page over a store with known data, the page draws its charts, a click on a
/// point lists the conversations behind it and a click on one shows its turns. Leaves artifacts/dashboard.png.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class DashboardBrowserTests(EmbeddedStore store, ITestOutputHelper output)
{
    [Fact]
    public async Task The_page_draws_charts_and_drills_down_to_a_conversation()
    {
        BrowserScript.AssertChromiumInstalled();
        var (project, _) = await store.NewProjectAsync();
        await SeedAsync(project);
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        var url = Feedback.Server.Hosting.Dashboard.Url(host.Services.GetRequiredService<LocalServer>().Url) + "#key=" + readKey;
        var screenshot = BrowserScript.Artifact("dashboard.png");

        var seen = await BrowserScript.RunAsync(output, "dashboard-check.mjs", url, screenshot);

        Assert.True(seen["error"] is null, $"the browser run failed: {seen["error"]}\nconsole: {seen["console"]}");
        Assert.True((bool)seen["keyRemovedFromAddress"]!);
        Assert.Equal(3, (int)seen["charts"]!);
        Assert.Equal(12, (int)seen["chartPoints"]!); // 6 days × 2 model versions
        Assert.True((int)seen["paintedPixels"]! > 1000, $"the chart canvas is nearly blank: {seen["paintedPixels"]} pixels");
        Assert.Contains("negative rate", (string)seen["compare"]!, StringComparison.Ordinal);
        Assert.Equal(1, (int)seen["topics"]!);
        Assert.True((int)seen["sparklinePoints"]! >= 2, "the topic has no sparkline");
        Assert.InRange((int)seen["conversations"]!, 1, 20);
        Assert.Contains("Negative rate", (string)seen["caption"]!, StringComparison.Ordinal);
        Assert.Equal(2, (int)seen["turns"]!);
        Assert.Contains("What is the capital of Australia?", (string)seen["firstTurn"]!, StringComparison.Ordinal);
        Assert.True((int)seen["signalChips"]! >= 1);
        Assert.Equal(["edit"], seen["miningSources"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("12", (string)seen["miningEditPairs"]!); // 6 days × 2 versions, one edited turn each
        Assert.Equal("18", (string)seen["miningLabels"]!);
        Assert.Contains("holds 12 pairs (DPO) and 18 labels (KTO)", (string)seen["exportText"]!, StringComparison.Ordinal);
        Assert.Contains("holds 2 pairs (DPO)", (string)seen["exportTextAt09"]!, StringComparison.Ordinal); // min confidence 0.9
        Assert.Equal(2, (int)seen["downloadedLines"]!); // the download is the export with the chosen filter
        Assert.Contains("\"chosen\":\"Canberra.\"", (string)seen["downloadedFirstLine"]!, StringComparison.Ordinal);
        var png = new FileInfo(screenshot);
        Assert.True(png.Exists, "no screenshot at " + screenshot);
        Assert.True(png.Length > 20_000, $"the screenshot is suspiciously small: {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(screenshot)[..4]);
        output.WriteLine($"screenshot: {screenshot}");
    }

    /// <summary>
    /// Six days × two model versions, every bucket with negative turns (v1 more than v2) and positive ones; the
    /// negative turns form one topic.
    /// </summary>
    private async Task SeedAsync(string project)
    {
        var seed = new ReadSeed(project);
        var complaints = new List<Feedback.Events.FeedbackEvent>();
        var edited = new List<Feedback.Events.FeedbackEvent>();
        var today = DateTimeOffset.UtcNow.Date;
        for (var day = 1; day <= 6; day++)
        {
            foreach (var version in new[] { "v1", "v2" })
            {
                for (var c = 0; c < 4; c++)
                {
                    var at = new DateTimeOffset(today.AddDays(-day).AddHours(9 + c), TimeSpan.Zero);
                    var id = $"{version}-d{day}-c{c}";
                    var first = seed.Turn(id, id + "-t1", at, modelVersion: version, user: $"user{c}");
                    var second = seed.Turn(id, id + "-t2", at.AddMinutes(1), prompt: "And of New Zealand?", response: "Wellington.", modelVersion: version, user: $"user{c}");
                    if (c == 0 || (version == "v1" && c == 1))
                    {
                        seed.ThumbDown(first, comment: "wrong city");
                        complaints.Add(first);
                    }
                    if (c == 2)
                    {
                        seed.Edit(first, "Canberra.");
                        edited.Add(first);
                    }
                    seed.ThumbUp(second);
                }
            }
        }
        await seed.SaveAsync(store.Engine);
        // One topic over the complaints, as the topic job would leave it (its clustering is tested on its own).
        var now = DateTimeOffset.UtcNow;
        await store.Engine.InsertAsync("topic_models", new[] { new { project, fit = 1u, model = "", cluster_topics = new[] { 1u }, turns = (ulong)complaints.Count, fitted_at = now } });
        await store.Engine.InsertAsync("topics", new[] { new { project, topic_id = 1u, fit = 1u, label = "city · wrong · capital", terms = new[] { "city", "wrong", "capital" }, fitted_at = now } });
        // What mining leaves for them: an edit pair per edited turn (confidence 0.9 on one day, 0.6 on the others) and a
        // negative label per complaint (the miners are tested on their own).
        await Export.ExportPairs.InsertAsync(store.Engine, edited.Select((t, i) => Export.ExportPairs.Pair(project, now, modelVersion: t.ModelVersion!, confidence: i < 2 ? 0.95f : 0.65f) with { TurnId = t.TurnId! }).ToArray());
        await store.Engine.InsertAsync("turn_labels", complaints.Select(t => new
        {
            project,
            turn_id = t.TurnId,
            label_id = Guid.NewGuid(),
            label = (sbyte)-1,
            confidence = 0.8f,
            source = "thumbs",
            completion = "Sydney.",
            model = "m",
            model_version = t.ModelVersion,
            user_id = t.UserId,
            labelled_at = now,
            created_at = now,
        }).ToList());
        await store.Engine.InsertAsync("topic_assignments", complaints.Select(t => new
        {
            project,
            turn_id = t.TurnId,
            conversation_id = t.ConversationId,
            turn_timestamp = t.Timestamp,
            topic_id = 1u,
            fit = 1u,
            distance = 0.2f,
            assigned_at = now,
        }).ToList());
    }
}
