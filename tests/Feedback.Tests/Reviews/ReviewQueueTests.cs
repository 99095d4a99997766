using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Reviews;
using Feedback.Events;
using Feedback.Tests.Mining;

namespace Feedback.Tests.Reviews;

/// <summary>
/// The review queue's order and its HTTP surface through the real store and real HTTP: uncertain labels first, then
/// labels that disagree with the turn's reactions, then the rest; reviewed follow-ups leave the queue; the key kinds
/// keep their scopes (a read key reads, a review key reads and labels, a write key does neither and a review key
/// cannot write events); bad reviews are refused one by one with reasons and lose nothing.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class ReviewQueueTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private const string Request = "What is the weather like in Paris today?";
    private const string Response = "It is sunny and 21 degrees in Paris today.";

    /// <summary>Plants one conversation per follow-up (a turn, an optional thumb, the follow-up) and mines them.</summary>
    private async Task<Dictionary<string, Guid>> PlantAsync(string project, params (string FollowUp, string? Thumb)[] conversations)
    {
        var events = new List<FeedbackEvent>();
        var ids = new Dictionary<string, Guid>();
        var second = 0;
        FeedbackEvent New(string kind, int c, Action<FeedbackEvent> set)
        {
            var e = StoredEvents.InConversation(project, $"c{c}", kind, $"t{c}", T0.AddSeconds(second += 10), set);
            events.Add(e);
            return e;
        }
        for (var c = 0; c < conversations.Length; c++)
        {
            var (followUp, thumb) = conversations[c];
            New(EventKinds.Turn, c, e =>
            {
                e.Request = [new RequestMessage("user", Request)];
                e.Response = Response;
                e.Model = "m";
            });
            if (thumb is not null) New(EventKinds.Reaction, c, e => e.Thumb = thumb);
            ids[followUp] = New(EventKinds.FollowUp, c, e => e.Message = followUp).EventId!.Value;
        }
        await new EventStore(store.Engine).AppendAsync(events);
        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        return ids;
    }

    private static readonly (string, string?)[] Planted =
    [
        ("k", null),                                // confident "none", no other signal: the last tier
        ("that's not what I asked", Thumbs.Up),     // a complaint on an approved answer: disagreement
        ("interesting", null),                      // the classifier is unsure what this says: uncertain
        ("perfect, thank you so much!", Thumbs.Down), // praise for an answer the user disapproved of: disagreement
        ("sure", null),                             // confident enough, agrees with everything: the last tier
    ];

    [Fact]
    public async Task Uncertain_labels_come_first_then_disagreements_then_the_rest_each_by_confidence()
    {
        var (project, _) = await store.NewProjectAsync();
        await PlantAsync(project, Planted);

        var page = await new ReviewQueueReader(store.Engine).ReadAsync(project);

        Assert.Equal(5, page.Pending);
        var items = page.Items;
        Assert.Equal(["interesting", "perfect, thank you so much!", "that's not what I asked", "sure", "k"], items.Select(i => i.FollowUp));
        Assert.True(items[0].Confidence < ReviewQueueReader.UncertainBelow);
        Assert.All(items.Skip(1), i => Assert.True(i.Confidence >= ReviewQueueReader.UncertainBelow));
        Assert.Equal([null, "disagrees", "disagrees", null, null], items.Select(i => i.Disagreement is { Length: > 0 } ? "disagrees" : null));
        Assert.True(items[1].Confidence <= items[2].Confidence && items[3].Confidence <= items[4].Confidence);
        var praise = items[1];
        Assert.Equal(("positive", "model", Request, Response, "c3", "t3"),
            (praise.ProposedLabel, praise.ProposedBy, praise.Request, praise.Response, praise.ConversationId, praise.TurnId));
        Assert.Contains("disapproved", praise.Disagreement);
        Assert.Equal(["interesting", "perfect, thank you so much!"],
            (await new ReviewQueueReader(store.Engine).ReadAsync(project, limit: 2)).Items.Select(i => i.FollowUp));
    }

    [Fact]
    public async Task Reviewed_and_skipped_follow_ups_leave_the_queue_and_other_projects_are_never_in_it()
    {
        var (project, _) = await store.NewProjectAsync();
        var (other, _) = await store.NewProjectAsync();
        var ids = await PlantAsync(project, Planted);
        await PlantAsync(other, ("interesting", null));

        var outcome = await new ReviewStore(store.Engine, TimeProvider.System).SubmitAsync(project, "ana",
            [new FollowUpReview(ids["interesting"], "none"), new FollowUpReview(ids["sure"], FollowUpReview.Skip)]);

        Assert.Equal(2, outcome.Stored);
        var page = await new ReviewQueueReader(store.Engine).ReadAsync(project);
        Assert.Equal(3, page.Pending);
        Assert.Equal(["perfect, thank you so much!", "that's not what I asked", "k"], page.Items.Select(i => i.FollowUp));
        Assert.Equal(1, (await new ReviewQueueReader(store.Engine).ReadAsync(other)).Pending); // another project's review changes nothing there
    }

    [Fact]
    public async Task Key_scopes_a_read_key_reads_a_review_key_reads_and_labels_a_write_key_does_neither()
    {
        var (project, _) = await store.NewProjectAsync();
        var ids = await PlantAsync(project, Planted);
        var keys = new ProjectKeys(store.Engine);
        var readKey = await keys.CreateKeyAsync(project, KeyKind.Read);
        var reviewKey = await keys.CreateKeyAsync(project, KeyKind.Review);
        var writeKey = await keys.CreateKeyAsync(project, KeyKind.Write);
        Assert.StartsWith("fbv_", reviewKey);
        await using var host = await store.StartHostAsync();
        using var read = RawEvents.Client(host, readKey);
        using var review = RawEvents.Client(host, reviewKey);
        using var write = RawEvents.Client(host, writeKey);
        var body = new { reviewer = "ana", reviews = new[] { new { event_id = ids["k"], label = "positive" } } };

        Assert.Equal(5, (long)(await read.GetFromJsonAsync<JsonObject>("v1/reviews/queue"))!["pending"]!);
        Assert.Equal(5, (long)(await review.GetFromJsonAsync<JsonObject>("v1/reviews/queue?limit=2"))!["pending"]!);
        using (var response = await read.PostAsJsonAsync("v1/reviews", body)) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using (var response = await write.GetAsync("v1/reviews/queue")) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using (var response = await write.PostAsJsonAsync("v1/reviews", body)) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using (var response = await review.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t9")))))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using (var response = await RawEvents.Client(host, null).GetAsync("v1/reviews/queue")) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using (var response = await review.PostAsJsonAsync("v1/reviews", body))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, (int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["stored"]!);
        }
        var stored = await store.Engine.QueryAsync<StoredReview>(
            "SELECT label, labelled_by, source FROM follow_up_reviews FINAL WHERE project = {project:String}", new { project });
        Assert.Equal(new StoredReview("positive", "ana", "review"), Assert.Single(stored));
        Assert.Equal(4, (long)(await read.GetFromJsonAsync<JsonObject>("v1/reviews/queue"))!["pending"]!);
    }

    [Fact]
    public async Task Bad_reviews_are_refused_one_by_one_with_reasons_and_the_good_ones_are_kept()
    {
        var (project, _) = await store.NewProjectAsync();
        var (other, _) = await store.NewProjectAsync();
        var ids = await PlantAsync(project, Planted);
        var otherIds = await PlantAsync(other, ("interesting", null));
        var reviewKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Review);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, reviewKey);

        using (var mixed = await http.PostAsJsonAsync("v1/reviews", new
        {
            reviewer = "ana",
            reviews = new object[]
            {
                new { event_id = ids["k"], label = "positive" },
                new { event_id = ids["sure"], label = "brilliant" },
                new { event_id = otherIds["interesting"], label = "none" },
            },
        }))
        {
            Assert.Equal(HttpStatusCode.OK, mixed.StatusCode);
            var outcome = (await mixed.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(1, (int)outcome["stored"]!);
            var rejected = outcome["rejected"]!.AsArray();
            Assert.Equal(2, rejected.Count);
            Assert.Contains("brilliant", (string)rejected[0]!["reason"]!);
            Assert.Equal(otherIds["interesting"], (Guid)rejected[1]!["event_id"]!);
        }
        using (var none = await http.PostAsJsonAsync("v1/reviews", new { reviewer = "ana", reviews = new[] { new { event_id = ids["sure"], label = "great" } } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
            Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
            Assert.Single((await none.Content.ReadFromJsonAsync<JsonObject>())!["rejected"]!.AsArray());
        }
        foreach (var malformed in new[] { "{\"reviewer\":\"ana\",\"reviews\":[]}", "{\"reviews\":[{\"event_id\":\"not-a-uuid\",\"label\":\"none\"}]}", "[1,2" })
        {
            using var response = await http.PostAsync("v1/reviews", RawEvents.Json(malformed));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        using (var badLimit = await http.GetAsync("v1/reviews/queue?limit=0")) Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);

        var stored = await store.Engine.QueryAsync<StoredReview>(
            "SELECT label, labelled_by, source FROM follow_up_reviews FINAL WHERE project IN ({project:String}, {other:String})", new { project, other });
        Assert.Equal(new StoredReview("positive", "ana", "review"), Assert.Single(stored));
    }

    [Fact]
    public async Task The_review_routes_are_in_the_openapi_document()
    {
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, null);

        var paths = (await http.GetFromJsonAsync<JsonObject>("openapi/v1.json"))!["paths"]!.AsObject();

        Assert.NotNull(paths["/v1/reviews/queue"]?["get"]);
        Assert.NotNull(paths["/v1/reviews"]?["post"]);
    }

    private sealed record StoredReview(string Label, string LabelledBy, string Source);
}
