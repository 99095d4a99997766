using System.Text.Json.Nodes;
using Feedback.Analytics.Events;
using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Analytics.Reviews;
using Feedback.Analytics.Trends;
using Feedback.Events;
using Feedback.Tests.Export;
using Feedback.Tests.Mining;

namespace Feedback.Tests.Reviews;

/// <summary>
/// A person's review overrides the classifier on the next mining run, through the real store: the turn's signals,
/// its unpaired label, the follow-up pairs resting on it, the trends and the exports all follow (docs/reviews.md).
/// </summary>
[Collection(SharedStore.Name)]
public sealed class ReviewsChangeTheDataTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class Conversation(string project, string id)
    {
        private int second;

        public List<FeedbackEvent> All { get; } = [];

        public FeedbackEvent Turn(string turnId, string request, string response) => Add(EventKinds.Turn, turnId, e =>
        {
            e.Request = [new RequestMessage("user", request)];
            e.Response = response;
            e.Model = "m";
            e.ModelVersion = "v1";
        });

        public FeedbackEvent ThumbUp(FeedbackEvent turn) => Add(EventKinds.Reaction, turn.TurnId!, e => e.Thumb = Thumbs.Up);

        public FeedbackEvent FollowUp(FeedbackEvent turn, string message) => Add(EventKinds.FollowUp, turn.TurnId!, e => e.Message = message);

        private FeedbackEvent Add(string kind, string turnId, Action<FeedbackEvent> set)
        {
            var e = StoredEvents.InConversation(project, id, kind, turnId, T0.AddSeconds(second += 10), set);
            All.Add(e);
            return e;
        }
    }

    private async Task MineAsync(params Conversation[] conversations)
    {
        await new EventStore(store.Engine).AppendAsync(conversations.SelectMany(c => c.All).ToList());
        foreach (var c in conversations) c.All.Clear();
        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
    }

    private async Task<JsonObject[]> ExportAsync(string project, string format, bool reviewedOnly = false) =>
        ExportPairs.Lines(await ExportPairs.ExportTextAsync(store.Engine, format, new ExportFilter { Project = project, ReviewedOnly = reviewedOnly }))
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();

    private async Task<string> FollowUpLabelAsync(string project, string turnId) =>
        (await store.Engine.QueryAsync<SignalRow>(
            "SELECT follow_up_label, follow_up_source FROM turn_signals FINAL WHERE project = {project:String} AND turn_id = {turn:String}",
            new { project, turn = turnId })).Single() is var row ? $"{row.FollowUpLabel}/{row.FollowUpSource}" : "";

    private sealed record SignalRow(string FollowUpLabel, string FollowUpSource);

    [Fact]
    public async Task A_review_takes_a_wrong_follow_up_pair_out_of_the_next_export_and_puts_a_new_pair_and_label_in()
    {
        var (project, _) = await store.NewProjectAsync();
        // c1: a correction the classifier reads right, then an approved answer: a follow-up pair and a negative label.
        var c1 = new Conversation(project, "c1");
        var a = c1.Turn("a", "What is the capital of Australia?", "The capital of Australia is Sydney.");
        var correction = c1.FollowUp(a, "No, that's wrong - the capital is Canberra, not Sydney.");
        var b = c1.Turn("b", "No, that's wrong - the capital is Canberra, not Sydney.", "You're right: the capital of Australia is Canberra.");
        c1.ThumbUp(b);
        // c2: a terse message after the answer that the classifier does not read as a correction; the next answer is approved.
        var c2 = new Conversation(project, "c2");
        var d = c2.Turn("d", "Convert 100 USD to EUR", "100 USD is about 92 EUR.");
        var terse = c2.FollowUp(d, "for the rate of last friday");
        var e = c2.Turn("e", "for the rate of last friday", "At last Friday's rate, 100 USD was about 93 EUR.");
        c2.ThumbUp(e);
        await MineAsync(c1, c2);

        var before = await ExportAsync(project, "dpo");
        Assert.Equal(["a"], before.Select(p => (string)p["meta"]!["turn_id"]!).ToArray()); // precondition: only c1's pair
        Assert.False((bool)before[0]["meta"]!["reviewed"]!);
        Assert.Equal("correction/model", await FollowUpLabelAsync(project, "a"));
        var labelsBefore = await ExportAsync(project, "kto");
        Assert.Contains(labelsBefore, l => (string)l["meta"]!["turn_id"]! == "a" && !(bool)l["label"]!);
        Assert.DoesNotContain(labelsBefore, l => (string)l["meta"]!["turn_id"]! == "d" && !(bool)l["label"]!);

        // A person says: c1's follow-up is a clarification (no verdict on the answer), c2's is a correction.
        var outcome = await new ReviewStore(store.Engine, TimeProvider.System).SubmitAsync(project, "ana@example.com",
            [new FollowUpReview(correction.EventId!.Value, "clarification"), new FollowUpReview(terse.EventId!.Value, "correction")]);
        Assert.Equal((2, 0), (outcome.Stored, outcome.Rejected.Count));
        await MineAsync();

        Assert.Equal("clarification/review", await FollowUpLabelAsync(project, "a"));
        Assert.Equal("correction/review", await FollowUpLabelAsync(project, "d"));
        var after = await ExportAsync(project, "dpo");
        var pair = Assert.Single(after); // c1's pair is gone, c2's is new
        Assert.Equal("d", (string)pair["meta"]!["turn_id"]!);
        Assert.Equal("At last Friday's rate, 100 USD was about 93 EUR.", (string)pair["chosen"]!);
        Assert.True((bool)pair["meta"]!["reviewed"]!);
        Assert.Equal(0.7, (double)pair["meta"]!["confidence"]!, 3); // a person's label is certain: the source's prior alone
        var labels = await ExportAsync(project, "kto");
        Assert.DoesNotContain(labels, l => (string)l["meta"]!["turn_id"]! == "a" && !(bool)l["label"]!); // no verdict left on a
        var reviewedLabel = Assert.Single(labels, l => (string)l["meta"]!["turn_id"]! == "d");
        Assert.False((bool)reviewedLabel["label"]!);
        Assert.True((bool)reviewedLabel["meta"]!["reviewed"]!);
        // --reviewed-only: only what rests on a person's label.
        Assert.Equal(["d"], (await ExportAsync(project, "kto", reviewedOnly: true)).Select(l => (string)l["meta"]!["turn_id"]!).ToArray());
        Assert.Equal(["d"], (await ExportAsync(project, "dpo", reviewedOnly: true)).Select(l => (string)l["meta"]!["turn_id"]!).ToArray());
    }

    [Fact]
    public async Task Trends_follow_a_review_and_reviewing_twice_keeps_the_last()
    {
        var (project, _) = await store.NewProjectAsync();
        var c = new Conversation(project, "c1");
        var turn = c.Turn("t", "Write a haiku about rain", "Rain taps the window / ...");
        var followUp = c.FollowUp(turn, "perfect, thank you so much!");
        await MineAsync(c);
        var reviews = new ReviewStore(store.Engine, TimeProvider.System);
        var filter = new TrendFilter { Project = project, From = T0.AddDays(-1), To = T0.AddDays(1) };
        async Task<(double? Positive, double? Negative)> RatesAsync()
        {
            var point = Assert.Single(Assert.Single((await new TrendReports(store.Engine).TrendsAsync(filter, TrendInterval.Day, by: null)).Series).Points);
            return (point.PositiveRate, point.NegativeRate);
        }
        Assert.Equal((1.0, 0.0), await RatesAsync());

        await reviews.SubmitAsync(project, "ana", [new FollowUpReview(followUp.EventId!.Value, "complaint")]);
        await MineAsync();
        Assert.Equal((0.0, 1.0), await RatesAsync());

        await reviews.SubmitAsync(project, "ben", [new FollowUpReview(followUp.EventId!.Value, "positive")]); // the last review counts
        await MineAsync();
        Assert.Equal((1.0, 0.0), await RatesAsync());
        Assert.Equal("positive/review", await FollowUpLabelAsync(project, "t"));
        var rows = await store.Engine.QueryAsync<ReviewRow>(
            "SELECT label, labelled_by FROM follow_up_reviews FINAL WHERE project = {project:String}", new { project });
        Assert.Equal(new ReviewRow("positive", "ben"), Assert.Single(rows));
    }

    private sealed record ReviewRow(string Label, string LabelledBy);
}
