using System.Net;
using System.Text.Json.Nodes;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Projects;

namespace Feedback.Tests.Reviews;

/// <summary>
/// GET /v1/reviews/queue and POST /v1/reviews over real HTTP against the real store, with the bodies a browser sends
/// (the dashboard's Review view): what is stored, and that every refusal is a ProblemDetails with a readable reason.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class ReviewsHttpTests(EmbeddedStore store)
{
    private async Task<(string Project, IReadOnlyList<(Guid EventId, string Text)> FollowUps, string ReviewKey, string ReadKey)> ProjectAsync(int followUps)
    {
        var (project, _) = await store.NewProjectAsync();
        var planted = await ReviewSeed.PlantAsync(store, project, followUps);
        var keys = new ProjectKeys(store.Engine);
        return (project, planted, await keys.CreateKeyAsync(project, KeyKind.Review), await keys.CreateKeyAsync(project, KeyKind.Read));
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body, string ContentType)> SendAsync(HttpClient http, HttpMethod method, string url, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = json is null ? null : RawEvents.Json(json) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"{method} {url}: 500 {text}");
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject(), response.Content.Headers.ContentType?.MediaType ?? "");
    }

    private async Task<List<(string Label, string Source, string LabelledBy)>> ReviewsAsync(string project, Guid eventId) =>
        (await store.Engine.QueryAsync<ReviewRow>(
            "SELECT label, source, labelled_by FROM follow_up_reviews FINAL WHERE project = {project:String} AND event_id = {event:UUID}",
            new { project, @event = eventId })).Select(r => (r.Label, r.Source, r.LabelledBy)).ToList();

    private sealed record ReviewRow(string Label, string Source, string LabelledBy);

    [Fact]
    public async Task A_review_key_reads_the_queue_and_stores_the_labels_a_browser_posts()
    {
        var (project, followUps, reviewKey, _) = await ProjectAsync(3);
        // The app's LLM labelled the third follow-up: its label is the one proposed.
        var byLlm = followUps[2].EventId;
        await store.Engine.InsertAsync("follow_up_reviews", new[]
        {
            new { project, event_id = byLlm, conversation_id = "c02", turn_id = "t02", source = "llm", label = "clarification", confidence = 0.55f, labelled_by = "llm", labelled_at = DateTimeOffset.UtcNow },
        });
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, reviewKey);

        var (status, queue, _) = await SendAsync(http, HttpMethod.Get, "v1/reviews/queue?limit=10");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, (int)queue["pending"]!);
        Assert.Equal(FollowUpLabels.All, queue["labels"]!.AsArray().Select(l => (string)l!));
        var items = queue["items"]!.AsArray();
        Assert.Equal(followUps.Select(f => f.EventId).Order(), items.Select(i => Guid.Parse((string)i!["event_id"]!)).Order());
        var first = items[0]!;
        Assert.Contains((string)first["follow_up"]!, followUps.Select(f => f.Text));
        Assert.StartsWith("Question ", (string)first["request"]!, StringComparison.Ordinal);
        // The LLM's label where it gave one, else the classifier's, never an empty row of the LLM's join.
        var llmItem = Assert.Single(items, i => Guid.Parse((string)i!["event_id"]!) == byLlm)!;
        Assert.Equal(("clarification", "llm", 0.55), ((string)llmItem["proposed_label"]!, (string)llmItem["proposed_by"]!, Math.Round((double)llmItem["confidence"]!, 3)));
        var byModel = items.Where(i => i != llmItem).ToList();
        Assert.Equal(2, byModel.Count);
        Assert.All(byModel, i => Assert.Contains((string)i!["proposed_label"]!, FollowUpLabels.All));
        Assert.All(byModel, i => Assert.Equal("model", (string)i!["proposed_by"]!));
        Assert.All(byModel, i => Assert.InRange((double)i!["confidence"]!, 0.01, 1.0));

        var (a, b) = (followUps[0].EventId, followUps[1].EventId);
        var (posted, outcome, _) = await SendAsync(http, HttpMethod.Post, "v1/reviews",
            $$"""{"reviewer":"ana@example.com","reviews":[{"event_id":"{{a}}","label":"correction"},{"event_id":"{{b}}","label":"skip"}]}""");

        Assert.Equal(HttpStatusCode.OK, posted);
        Assert.Equal(2, (int)outcome["stored"]!);
        Assert.Empty(outcome["rejected"]!.AsArray());
        Assert.Equal([("correction", "review", "ana@example.com")], await ReviewsAsync(project, a));
        Assert.Equal([("skip", "review", "ana@example.com")], await ReviewsAsync(project, b));
        var (_, after, _) = await SendAsync(http, HttpMethod.Get, "v1/reviews/queue");
        Assert.Equal(1, (int)after["pending"]!);
    }

    [Fact]
    public async Task A_read_key_sees_the_queue_but_may_not_label()
    {
        var (project, followUps, _, readKey) = await ProjectAsync(1);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        var (status, queue, _) = await SendAsync(http, HttpMethod.Get, "v1/reviews/queue");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(queue["items"]!.AsArray());
        var (posted, problem, contentType) = await SendAsync(http, HttpMethod.Post, "v1/reviews",
            $$"""{"reviewer":"ana","reviews":[{"event_id":"{{followUps[0].EventId}}","label":"positive"}]}""");

        Assert.Equal(HttpStatusCode.Forbidden, posted);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal("A read key cannot do this; use a review key.", (string)problem["detail"]!);
        Assert.Empty(await ReviewsAsync(project, followUps[0].EventId));
    }

    [Fact]
    public async Task Bad_bodies_get_a_400_that_says_what_is_wrong_and_store_nothing()
    {
        var (project, followUps, reviewKey, _) = await ProjectAsync(1);
        var id = followUps[0].EventId;
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, reviewKey);

        var (noReviewer, missing, _) = await SendAsync(http, HttpMethod.Post, "v1/reviews", $$"""{"reviews":[{"event_id":"{{id}}","label":"positive"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, noReviewer);
        Assert.Contains("reviewer", missing["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()));

        var (blank, blankProblem, _) = await SendAsync(http, HttpMethod.Post, "v1/reviews", $$"""{"reviewer":" ","reviews":[{"event_id":"{{id}}","label":"positive"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, blank);
        Assert.Contains("reviewer", blankProblem["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()));

        var (tooLong, longProblem, _) = await SendAsync(http, HttpMethod.Post, "v1/reviews",
            $$"""{"reviewer":"{{new string('a', 201)}}","reviews":[{"event_id":"{{id}}","label":"positive"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        Assert.Equal("Say who reviewed: a reviewer of 1 to 200 characters.", (string)longProblem["detail"]!);

        var (none, noneProblem, _) = await SendAsync(http, HttpMethod.Post, "v1/reviews", """{"reviewer":"ana","reviews":[]}""");
        Assert.Equal(HttpStatusCode.BadRequest, none);
        Assert.Equal("No reviews: send at least one.", (string)noneProblem["detail"]!);

        var other = Guid.CreateVersion7();
        var (refused, refusedProblem, contentType) = await SendAsync(http, HttpMethod.Post, "v1/reviews",
            $$"""{"reviewer":"ana","reviews":[{"event_id":"{{id}}","label":"great"},{"event_id":"{{other}}","label":"positive"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("application/problem+json", contentType);
        var reasons = refusedProblem["rejected"]!.AsArray().ToDictionary(r => Guid.Parse((string)r!["event_id"]!), r => (string)r!["reason"]!);
        Assert.StartsWith("Unknown label 'great'", reasons[id], StringComparison.Ordinal);
        Assert.StartsWith($"Not a follow-up of project '{project}'", reasons[other], StringComparison.Ordinal);
        Assert.Empty(await ReviewsAsync(project, id));
    }
}
