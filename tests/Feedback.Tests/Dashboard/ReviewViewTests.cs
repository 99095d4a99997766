using System.Text.Json;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Reviews;
using Feedback.Server.Hosting;
using Feedback.Tests.Reviews;
using Xunit.Abstractions;

namespace Feedback.Tests.Dashboard;

/// <summary>
/// The dashboard's Review view in real headless Chromium (review-check.mjs), keyboard only: a read key sees the
/// queue and is refused labelling on the page; a review key labels 50 follow-ups (confirm, a number, skip, undo)
/// and every label lands in follow_up_reviews with the reviewer's name; a real 403 is shown with the server's reason
/// and the label kept for Retry; a follow-up carrying markup is shown as text. Leaves artifacts/review.png (and review-read-key.png).
/// </summary>
[Collection(SharedStore.Name)]
public sealed class ReviewViewTests(EmbeddedStore store, ITestOutputHelper output)
{
    private const int Planted = 53;
    private const int Labelled = 50;
    private const int Hostile = 13;
    private const string Reviewer = "Ana Lima <ana@example.com>";
    private const string Markup = """<img src=x onerror="window.__xss=true"><b>bold</b> is this right?""";

    /// <summary>The keys for follow-up <paramref name="i"/>: confirm, a label's number, skip, and now and then a wrong label undone.</summary>
    private static string[] Keys(int i) => (i % 4) switch
    {
        0 => ["Enter"],
        2 => ["s"],
        _ when i % 10 == 7 => ["1", i % 20 == 7 ? "Backspace" : "u", (1 + (i % FollowUpLabels.All.Count)).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        _ => [(1 + (i % FollowUpLabels.All.Count)).ToString(System.Globalization.CultureInfo.InvariantCulture)],
    };

    private static string Expected(string key, ReviewQueueItem item) => key switch
    {
        "Enter" => item.ProposedLabel,
        "s" => FollowUpReview.Skip,
        _ => FollowUpLabels.All[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture) - 1],
    };

    [Fact]
    public async Task A_reviewer_labels_fifty_follow_ups_with_the_keyboard_and_a_read_key_may_only_look()
    {
        BrowserScript.AssertChromiumInstalled();
        var (project, _) = await store.NewProjectAsync();
        var planted = await ReviewSeed.PlantAsync(store, project, Planted, new Dictionary<int, string> { [Hostile] = Markup });
        var keys = new ProjectKeys(store.Engine);
        var readKey = await keys.CreateKeyAsync(project, KeyKind.Read);
        var reviewKey = await keys.CreateKeyAsync(project, KeyKind.Review);
        // The queue as the page will show it, for the proposed labels that Enter confirms.
        var queue = (await new ReviewQueueReader(store.Engine).ReadAsync(project, 100)).Items;
        Assert.Equal(Planted, queue.Count);
        var number = (ReviewQueueItem item) => item.FollowUp[1..3];
        var plan = Enumerable.Range(0, Planted).ToDictionary(i => i.ToString("00", System.Globalization.CultureInfo.InvariantCulture), Keys);
        await using var host = await store.StartHostAsync();
        var dashboard = Feedback.Server.Hosting.Dashboard.Url(host.Services.GetRequiredService<LocalServer>().Url);
        var screenshot = BrowserScript.Artifact("review.png");

        var seen = await BrowserScript.RunAsync(output, "review-check.mjs", dashboard + "#key=" + readKey, dashboard + "#key=" + reviewKey,
            screenshot, JsonSerializer.Serialize(plan), Labelled.ToString(System.Globalization.CultureInfo.InvariantCulture), Reviewer);

        Assert.True(seen["error"] is null, $"the browser run failed: {seen["error"]}\nsteps: {seen["steps"]}\nconsole: {seen["console"]}");
        // A read key: the queue, a clear refusal, no request to store anything.
        Assert.Equal(Planted, (int)seen["readKeyItems"]!);
        Assert.Contains("labelling needs a review key", (string)seen["readKeyMessage"]!, StringComparison.Ordinal);
        Assert.Contains("--review", (string)seen["readKeyMessage"]!, StringComparison.Ordinal);
        Assert.True((bool)seen["readKeyButtonsDisabled"]!);
        Assert.Contains("Not stored", (string)seen["readKeyNotice"]!, StringComparison.Ordinal);
        Assert.Equal(0, (int)seen["readKeyReviewed"]!);
        Assert.True((bool)seen["readKeyStillFirst"]!);
        Assert.True((bool)seen["readKeyBrowsed"]!);
        Assert.Equal(0, (int)seen["readKeyPosts"]!);

        // A review key: the legend names every label of the taxonomy with its number.
        Assert.Equal(Planted, (int)seen["total"]!);
        var legend = (string)seen["legend"]!;
        for (var i = 0; i < FollowUpLabels.All.Count; i++) Assert.Contains($"{i + 1} {FollowUpLabels.All[i]}", legend, StringComparison.Ordinal);
        // The page labelled the first 50 of the queue, in queue order, and says all were stored.
        var labelled = seen["labelled"]!.AsArray().Select(n => (string)n!).ToArray();
        Assert.Equal(queue.Take(Labelled).Select(number), labelled);
        Assert.Contains($"{Labelled} of {Planted} reviewed", (string)seen["progressText"]!, StringComparison.Ordinal);
        Assert.Contains($"{Labelled} stored", (string)seen["progressText"]!, StringComparison.Ordinal);
        Assert.Equal(0, (int)seen["errors"]!);
        Assert.All(seen["recentAfter"]!.AsArray(), s => Assert.Equal("stored", (string)s!));
        Assert.True(seen["posts"]!.AsArray().Count >= 2, "the labels were not sent as they were made");
        // A real refusal (the kept key swapped for the read key by another tab): the server's reason on the page, the
        // label kept and stored by Retry once the review key is back.
        Assert.Contains("(403): A read key cannot do this; use a review key.", (string)seen["refusal"]!, StringComparison.Ordinal);
        Assert.Contains("1 label is kept on this page", (string)seen["refusal"]!, StringComparison.Ordinal);
        Assert.Equal(1, (int)seen["refusalUnsent"]!);
        Assert.Equal(0, (int)seen["errorsAfterRetry"]!);
        // What the store holds: one review per labelled follow-up, the last key's label, by the reviewer, and the retried skip.
        var rows = (await store.Engine.QueryAsync<ReviewRow>(
            "SELECT event_id, label, labelled_by FROM follow_up_reviews FINAL WHERE project = {project:String} AND source = 'review'",
            new { project })).ToDictionary(r => r.EventId);
        Assert.Equal(Labelled + 1, rows.Count);
        Assert.Equal((FollowUpReview.Skip, Reviewer), (rows[queue[Labelled].EventId].Label, rows[queue[Labelled].EventId].LabelledBy));
        foreach (var item in queue.Take(Labelled))
        {
            var row = rows[item.EventId];
            Assert.Equal((Expected(plan[number(item)][^1], item), Reviewer), (row.Label, row.LabelledBy));
        }
        Assert.Contains(rows.Values, r => r.Label == FollowUpReview.Skip);
        Assert.True(rows.Values.Select(r => r.Label).Distinct().Count() >= 4, "the plan should give several different labels");

        // The follow-up carrying markup was shown as its text: no element made of it, no script run.
        var hostile = Assert.Single(seen["hostile"]!.AsArray())!;
        Assert.Equal(planted[Hostile].Text, (string)hostile["text"]!);
        Assert.Equal(0, (int)hostile["images"]!);
        Assert.Equal(0, (int)hostile["bold"]!);
        Assert.False((bool)hostile["injected"]!);
        Assert.False((bool)seen["injected"]!);

        // The reviewer's name is remembered; the reloaded queue holds what is left.
        Assert.Equal(Reviewer, (string)seen["reviewerAfterReload"]!);
        Assert.Equal(Planted - Labelled - 1, (int)seen["totalAfterReload"]!);
        var png = new FileInfo(screenshot);
        Assert.True(png.Exists, "no screenshot at " + screenshot);
        Assert.True(png.Length > 20_000, $"the screenshot is suspiciously small: {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(screenshot)[..4]);
        output.WriteLine($"screenshot: {screenshot}");
    }

    private sealed record ReviewRow(Guid EventId, string Label, string LabelledBy);
}
