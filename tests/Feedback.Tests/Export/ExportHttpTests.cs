using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Analytics.Projects;
using Feedback.Server.ReadApi;
using Microsoft.AspNetCore.Mvc;
using static Feedback.Tests.Export.ExportPairs;

namespace Feedback.Tests.Export;

[Collection(SharedStore.Name)]
public sealed class ExportHttpTests(EmbeddedStore store)
{
    [Fact]
    public async Task A_read_key_streams_its_projects_export()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0), Pair(project, T0.AddHours(1), model: "other"));
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        Assert.StartsWith("fbr_", readKey, StringComparison.Ordinal);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        using var response = await http.GetAsync("v1/export?format=dpo&model=other", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jsonl", response.Content.Headers.ContentType?.MediaType);
        var line = Assert.Single(Lines(await response.Content.ReadAsStringAsync()));
        Assert.Equal("other", (string?)JsonNode.Parse(line)!["meta"]!["model"]);
    }

    [Fact]
    public async Task A_watermarked_pull_advances_only_when_the_client_confirms()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0));
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        using var first = await http.GetAsync("v1/export?watermark=nightly");
        Assert.Single(Lines(await first.Content.ReadAsStringAsync()));
        using var again = await http.GetAsync("v1/export?watermark=nightly");
        Assert.Single(Lines(await again.Content.ReadAsStringAsync()));

        var next = Assert.Single(again.Headers.GetValues(ExportResponse.NextHeader));
        using var confirmed = await http.PostAsync($"v1/export/watermarks/nightly?position={Uri.EscapeDataString(next)}", null);
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        using var after = await http.GetAsync("v1/export?watermark=nightly");
        Assert.Empty(Lines(await after.Content.ReadAsStringAsync()));
        Assert.False(after.Headers.Contains(ExportResponse.NextHeader));
    }

    [Fact]
    public async Task Parquet_comes_over_http()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0));
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        var bytes = await http.GetByteArrayAsync("v1/export?format=parquet");

        using var stream = new MemoryStream(bytes);
        Assert.Single((await Parquet.Serialization.ParquetSerializer.DeserializeAsync<Feedback.Analytics.Export.Formats.ParquetPairRow>(stream)).Data);
    }

    [Fact]
    public async Task No_key_is_401_and_a_write_key_is_403_as_problem_details()
    {
        var (project, writeKey) = await store.NewProjectAsync();
        await using var host = await store.StartHostAsync();

        using var anonymous = RawEvents.Client(host, null);
        using var noKey = await anonymous.GetAsync("v1/export");
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("application/problem+json", noKey.Content.Headers.ContentType?.MediaType);

        using var writer = RawEvents.Client(host, writeKey);
        using var withWriteKey = await writer.GetAsync("v1/export");
        Assert.Equal(HttpStatusCode.Forbidden, withWriteKey.StatusCode);
        Assert.Equal(403, (await withWriteKey.Content.ReadFromJsonAsync<ProblemDetails>())!.Status);

        using var wrong = RawEvents.Client(host, "fbr_not-a-key");
        using var unknown = await wrong.GetAsync("v1/export");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        _ = project;
    }

    [Fact]
    public async Task A_read_key_cannot_read_another_project()
    {
        var (projectA, _) = await store.NewProjectAsync();
        var (projectB, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(projectB, T0));
        var keyA = await new ProjectKeys(store.Engine).CreateKeyAsync(projectA, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, keyA);

        using var other = await http.GetAsync($"v1/export?project={projectB}");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);

        using var own = await http.GetAsync("v1/export");
        Assert.Empty(Lines(await own.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Noise_controls_pass_through_http_and_a_format_that_cannot_take_one_is_a_400_with_the_reason()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0), Pair(project, T0.AddMinutes(1), chosen: " canberra."));
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        using var deduplicated = await http.GetAsync("v1/export?dedupe=true&max_per_user=5");
        using var balanced = await http.GetAsync("v1/export?length_balanced=true"); // both chosen longer, none shorter: nothing to balance with
        using var refused = await http.GetAsync("v1/export?format=dpo&min_predicted_positive=0.5");

        Assert.Single(Lines(await deduplicated.Content.ReadAsStringAsync()));
        Assert.Empty(Lines(await balanced.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("min_predicted_positive applies to kto", (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
    }
}
