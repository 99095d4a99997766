using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Analytics.Projects;
using Feedback.Server.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Tests.Server;

/// <summary>
/// The local token (server.json) on the /v1 routes: full access, the way the CLI runs its commands while the server
/// holds the store; the routes only it may call refuse project keys; no /admin routes are left.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class LocalTokenTests(EmbeddedStore store)
{
    [Fact]
    public async Task The_local_token_reads_any_project_on_the_v1_routes()
    {
        var (project, _) = await store.NewProjectAsync();
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, host.Services.GetRequiredService<LocalServer>().AdminToken);

        var trends = (await http.GetFromJsonAsync<JsonObject>($"v1/trends?project={project}"))!;
        Assert.Equal("day", (string?)trends["interval"]);
        using var export = await http.GetAsync($"v1/export?project={project}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains($"{project}-dpo.jsonl", export.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        using var bias = await http.GetAsync($"v1/reports/bias?project={project}");
        Assert.Equal(HttpStatusCode.OK, bias.StatusCode);
        Assert.Equal("text/markdown", bias.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Only_the_local_token_runs_mining_refits_topics_and_trains_the_predictor()
    {
        var (project, writeKey) = await store.NewProjectAsync();
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        string[] routes = ["v1/mining/run", $"v1/topics/refit?project={project}", $"v1/predictor/train?project={project}"];

        foreach (var (key, status) in new[] { ((string?)null, HttpStatusCode.Unauthorized), (readKey, HttpStatusCode.Forbidden), (writeKey, HttpStatusCode.Forbidden) })
        {
            using var http = RawEvents.Client(host, key);
            foreach (var route in routes)
            {
                using var response = await http.PostAsync(route, null);
                Assert.Equal(status, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        using var local = RawEvents.Client(host, host.Services.GetRequiredService<LocalServer>().AdminToken);
        using var mined = await local.PostAsync("v1/mining/run", null);
        Assert.Equal(HttpStatusCode.OK, mined.StatusCode);
        Assert.NotNull((await mined.Content.ReadFromJsonAsync<JsonObject>())!["turn_signals"]);
        // A project without reacted turns: the predictor cannot be trained, and the reason comes back as ProblemDetails.
        using var trained = await local.PostAsync($"v1/predictor/train?project={project}", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, trained.StatusCode);
        Assert.False(string.IsNullOrEmpty((await trained.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail));
    }

    [Fact]
    public async Task A_write_key_never_reads_the_bias_report_and_a_read_key_does()
    {
        var (project, writeKey) = await store.NewProjectAsync();
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();

        using (var write = RawEvents.Client(host, writeKey))
        using (var refused = await write.GetAsync("v1/reports/bias"))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var read = RawEvents.Client(host, readKey);
        using var report = await read.GetAsync("v1/reports/bias");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        using var other = await read.GetAsync("v1/reports/bias?project=someone-else");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task The_new_routes_are_in_the_openapi_document_and_admin_is_gone()
    {
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, host.Services.GetRequiredService<LocalServer>().AdminToken);

        var paths = (await http.GetFromJsonAsync<JsonObject>("openapi/v1.json"))!["paths"]!.AsObject();
        foreach (var (path, method) in new[] { ("/v1/mining/run", "post"), ("/v1/topics/refit", "post"), ("/v1/predictor/train", "post"), ("/v1/reports/bias", "get"), ("/v1/export/watermarks/{name}", "post") })
        {
            Assert.True(paths.ContainsKey(path), path);
            Assert.NotNull(paths[path]![method]);
        }
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/admin", StringComparison.Ordinal));
        using var admin = await http.PostAsync("admin/mine", null);
        Assert.Equal(HttpStatusCode.NotFound, admin.StatusCode);
    }
}
