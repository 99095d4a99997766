using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Topics;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Tests.Topics;

/// <summary><c>GET /v1/topics</c> over real HTTP on the embedded host.</summary>
[Collection(SharedStore.Name)]
public sealed class TopicsHttpTests(EmbeddedStore store)
{
    [Fact]
    public async Task A_read_key_gets_its_projects_topics_in_the_documented_shape()
    {
        var (project, _) = await store.NewProjectAsync();
        var themes = await PlantedComplaints.PlantAsync(store, project, 300, seed: 41);
        using var job = new TopicJob(store.Engine, MiniLmEmbedder.Shared, ComplaintKinds.Shipped, new TopicOptions(), TimeProvider.System);
        await job.RefitAsync(project);
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        var from = PlantedComplaints.Start.UtcDateTime.Date;
        var body = JsonNode.Parse(await http.GetStringAsync($"v1/topics?from={from:yyyy-MM-dd}T00:00:00Z&to={from.AddDays(21):yyyy-MM-dd}T00:00:00Z&interval=week&limit=2"))!;

        var topics = body["topics"]!.AsArray();
        Assert.Equal(2, topics.Count);
        var first = topics[0]!;
        Assert.StartsWith("tp_", (string)first["id"]!, StringComparison.Ordinal);
        Assert.Contains((string)first["terms"]![0]!, (string)first["label"]!, StringComparison.Ordinal); // the label ends with the top terms
        Assert.True((long)first["size"]! >= (long)topics[1]!["size"]!);
        var trend = first["trend"]!.AsArray();
        var weeks = Enumerable.Range(0, 21).Select(d => from.AddDays(d)).Select(d => d.AddDays(-(((int)d.DayOfWeek + 6) % 7))).Distinct().ToList();
        Assert.Equal(weeks, trend.Select(p => DateTime.Parse((string)p!["time"]!, null, System.Globalization.DateTimeStyles.AdjustToUniversal)).ToList()); // every week the range touches, zeros included
        Assert.Equal((long)first["size"]!, trend.Sum(p => (long)p!["count"]!));
        Assert.EndsWith("Z", (string)trend[0]!["time"]!, StringComparison.Ordinal);
        var example = first["examples"]!.AsArray()[0]!;
        Assert.Contains((string)example["turn_id"]!, themes.Keys);
        Assert.NotEqual("", (string)example["conversation_id"]!);
        Assert.NotEqual("", (string)example["request"]!);
        Assert.NotEqual("", (string)example["feedback"]!);
    }

    [Fact]
    public async Task A_read_key_of_another_project_sees_none_of_these_topics()
    {
        var (projectA, _) = await store.NewProjectAsync();
        var (projectB, _) = await store.NewProjectAsync();
        var themesA = await PlantedComplaints.PlantAsync(store, projectA, 200, seed: 51);
        await PlantedComplaints.PlantAsync(store, projectB, 100, seed: 52, turnPrefix: "b");
        using var job = new TopicJob(store.Engine, MiniLmEmbedder.Shared, ComplaintKinds.Shipped, new TopicOptions(), TimeProvider.System);
        await job.RefitAsync(projectA);
        var keyB = await new ProjectKeys(store.Engine).CreateKeyAsync(projectB, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, keyB);

        var before = await http.GetFromJsonAsync<TopicsView>("v1/topics", Feedback.Events.FeedbackJson.Options);
        await job.RefitAsync(projectB);
        var after = await http.GetFromJsonAsync<TopicsView>("v1/topics", Feedback.Events.FeedbackJson.Options);

        Assert.Empty(before!.Topics); // project A has topics, B none yet
        Assert.NotEmpty(after!.Topics);
        Assert.DoesNotContain(after.Topics.SelectMany(t => t.Examples), e => themesA.ContainsKey(e.TurnId));
        Assert.All(after.Topics.SelectMany(t => t.Examples), e => Assert.StartsWith("b", e.TurnId, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("interval=month")]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")]
    [InlineData("from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=hour")]
    [InlineData("from=yesterday")]
    public async Task Bad_parameters_are_400_problem_details(string query)
    {
        var (project, writeKey) = await store.NewProjectAsync();
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        using var response = await http.GetAsync("v1/topics?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);
        using var writer = RawEvents.Client(host, writeKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("v1/topics")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoint()
    {
        var (project, _) = await store.NewProjectAsync();
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        var openApi = JsonNode.Parse(await http.GetStringAsync("openapi/v1.json"))!;

        var get = openApi["paths"]!["/v1/topics"]!["get"]!;
        var parameters = get["parameters"]!.AsArray().Select(p => (string)p!["name"]!).ToList();
        Assert.Equal(["from", "to", "interval", "limit"], parameters);
        Assert.NotNull(get["responses"]!["200"]);
        Assert.NotNull(get["responses"]!["400"]);
    }
}
