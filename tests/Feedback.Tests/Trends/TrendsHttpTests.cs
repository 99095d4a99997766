using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Analytics.Projects;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Tests.Trends;

/// <summary>GET /v1/trends and /v1/compare over real HTTP: read keys, project isolation, and 400s for bad parameters.</summary>
[Collection(SharedStore.Name)]
public sealed class TrendsHttpTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private const string Range = "from=2026-11-02T00:00:00Z&to=2026-11-09T00:00:00Z";

    [Fact]
    public async Task A_read_key_gets_trends_and_a_comparison_in_the_documented_shape()
    {
        var (project, _) = await store.NewProjectAsync();
        await new PlantedTurns(project)
            .Plant(new Cohort("v1", Day1, 200) { Positive = 20, Negative = 40, Edited = 10, Pairs = 3 })
            .Plant(new Cohort("v2", Day1.AddDays(1), 200) { Positive = 60, Negative = 10 })
            .WriteAsync(store.Engine);
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        var trends = (await http.GetFromJsonAsync<JsonObject>($"v1/trends?{Range}&by=model_version&metadata.locale=en"))!;

        Assert.Equal("day", (string?)trends["interval"]);
        Assert.Equal("model_version", (string?)trends["by"]);
        Assert.Equal("2026-11-02T00:00:00Z", (string?)trends["from"]);
        var v1 = trends["series"]!.AsArray()[0]!;
        Assert.Equal("v1", (string?)v1["key"]);
        var point = v1["points"]!.AsArray()[0]!;
        Assert.Equal("2026-11-02T00:00:00Z", (string?)point["time"]);
        Assert.Equal(200, (long)point["turns"]!);
        Assert.Equal(70, (long)point["feedback_turns"]!);
        Assert.Equal(0.1, (double)point["positive_rate"]!, 12);
        Assert.Equal(0.2, (double)point["negative_rate"]!, 12);
        Assert.Equal(0.05, (double)point["edit_rate"]!, 12);
        Assert.Equal(0.05, (double)point["follow_up_rates"]!["positive"]!, 12);
        Assert.Equal(3, (long)point["pairs"]!);
        foreach (var field in new[] { "feedback_rate", "mean_edit_distance", "regenerate_rate", "choice_rate" }) Assert.NotNull(point[field]);

        var compare = (await http.GetFromJsonAsync<JsonObject>($"v1/compare?{Range}&a=v1&b=v2"))!;

        Assert.Equal("model_version", (string?)compare["field"]);
        Assert.Equal(0.95, (double)compare["confidence"]!);
        Assert.Equal("v2", (string?)compare["b"]!["value"]);
        Assert.Equal(0.2, (double)compare["positive_rate_difference"]!["estimate"]!, 12);
        Assert.True((bool)compare["positive_rate_difference"]!["significant"]!);
        Assert.True((double)compare["negative_rate_difference"]!["high"]! < 0);
    }

    [Fact]
    public async Task A_read_key_of_project_a_gets_nothing_of_project_b()
    {
        var (projectA, _) = await store.NewProjectAsync();
        var (projectB, _) = await store.NewProjectAsync();
        await new PlantedTurns(projectB).Plant(new Cohort("v1", Day1, 50) { Positive = 5 }).WriteAsync(store.Engine);
        var keyA = await new ProjectKeys(store.Engine).CreateKeyAsync(projectA, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, keyA);

        var trends = (await http.GetFromJsonAsync<JsonObject>($"v1/trends?{Range}"))!;
        Assert.Empty(trends["series"]!.AsArray());
        var compare = (await http.GetFromJsonAsync<JsonObject>($"v1/compare?{Range}&a=v1&b=v2"))!;
        Assert.Equal(0, (long)compare["a"]!["turns"]!);

        foreach (var path in new[] { "v1/trends", "v1/compare?a=v1&b=v2" })
        {
            using var other = await http.GetAsync($"{path}{(path.Contains('?') ? '&' : '?')}project={projectB}");
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_write_key_cannot_read_and_no_key_is_401()
    {
        var (project, writeKey) = await store.NewProjectAsync();
        await new PlantedTurns(project).Plant(new Cohort("v1", Day1, 10)).WriteAsync(store.Engine);
        await using var host = await store.StartHostAsync();

        foreach (var path in new[] { $"v1/trends?{Range}", $"v1/compare?{Range}&a=v1&b=v2" })
        {
            using var writer = RawEvents.Client(host, writeKey);
            using var withWriteKey = await writer.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, withWriteKey.StatusCode);
            Assert.Equal(403, (await withWriteKey.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);

            using var anonymous = RawEvents.Client(host, null);
            using var noKey = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        }
    }

    [Theory]
    [InlineData("v1/trends?interval=month", "interval")]
    [InlineData("v1/trends?by=colour", "by")]
    [InlineData("v1/trends?by=metadata.", "by")]
    [InlineData("v1/trends?from=2026-11-09T00:00:00Z&to=2026-11-02T00:00:00Z", "from")]
    [InlineData("v1/trends?from=2026-11-02T00:00:00Z&to=2026-11-02T00:00:00Z", "from")]
    [InlineData("v1/trends?from=yesterday", "from")]
    [InlineData("v1/trends?interval=hour&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "interval")]
    [InlineData("v1/compare?a=v1", "a")]
    [InlineData("v1/compare?a=v1&b=v1", "b")]
    [InlineData("v1/compare?a=v1&b=v2&field=colour", "field")]
    [InlineData("v1/compare?a=v1&b=v2&confidence=95", "confidence")]
    [InlineData("v1/compare?a=v1&b=v2&confidence=x", "confidence")]
    public async Task Bad_parameters_are_400_problem_details_naming_the_parameter(string path, string parameter)
    {
        var (project, _) = await store.NewProjectAsync();
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Contains(problem.Errors.Keys, k => k.Equals(parameter, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Trends_and_compare_are_in_the_openapi_document()
    {
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, null);

        var document = (await http.GetFromJsonAsync<JsonObject>("openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/v1/trends"));
        Assert.True(paths.ContainsKey("/v1/compare"));
        var parameters = paths["/v1/trends"]!["get"]!["parameters"]!.AsArray().Select(p => (string?)p!["name"]).ToList();
        Assert.Contains("interval", parameters);
        Assert.Contains("by", parameters);
        Assert.Contains("model_version", parameters);
    }
}
