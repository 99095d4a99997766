using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Feedback.Analytics.Events;

namespace Feedback.Tests.Ingest;

/// <summary>POST /v1/batch over real HTTP on 127.0.0.1 against the real embedded engine.</summary>
[Collection(SharedStore.Name)]
public sealed class BatchApiTests(EmbeddedStore store) : IAsyncLifetime
{
    private WebApplication host = null!;
    private string url = null!;

    public async Task InitializeAsync()
    {
        host = await store.StartHostAsync();
        url = host.Urls.First();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<long> StoredAsync(string project) => new EventStore(store.Engine).CountAsync(project);

    [Fact]
    public async Task The_same_event_sent_twice_is_one_row()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var body = RawEvents.Batch(RawEvents.Turn("t1"));

        var first = await http.PostAsync("v1/batch", RawEvents.Json(body));
        var second = await http.PostAsync("v1/batch", RawEvents.Json(body));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, await StoredAsync(project));
    }

    [Fact]
    public async Task A_mixed_batch_keeps_the_valid_events_and_names_each_rejection()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var unknownKind = RawEvents.Turn("t4");
        unknownKind["kind"] = "shrug";
        var noUser = RawEvents.Edit("t1", "better");
        noUser.Remove("user_id");
        var body = RawEvents.Batch(RawEvents.Turn("t1"), unknownKind, RawEvents.Turn("t2"), noUser, RawEvents.Edit("t2", "x"));

        var response = await http.PostAsync("v1/batch", RawEvents.Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(3, (int)result["accepted"]!);
        Assert.Equal(2, (int)result["rejected"]!);
        var results = result["results"]!.AsArray();
        Assert.Equal(["accepted", "rejected", "accepted", "rejected", "accepted"], results.Select(r => (string)r!["status"]!));
        Assert.Contains("unknown kind 'shrug'", (string)results[1]!["reason"]!, StringComparison.Ordinal);
        Assert.Equal("user_id is required", (string)results[3]!["reason"]!);
        Assert.Equal((string)noUser["event_id"]!, (string)results[3]!["event_id"]!);
        Assert.Equal(3, await StoredAsync(project));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);

        var response = await http.PostAsync("v1/batch", RawEvents.Json("{\"events\": [ {\"kind\": "));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Malformed JSON");
        Assert.Equal(0, await StoredAsync(project));
    }

    [Fact]
    public async Task A_wrong_or_missing_key_is_a_401_problem()
    {
        using var wrong = RawEvents.Client(url, "fbw_not-a-key");
        using var none = new HttpClient { BaseAddress = new Uri(url) };
        var body = RawEvents.Batch(RawEvents.Turn("t1"));

        await AssertProblemAsync(await wrong.PostAsync("v1/batch", RawEvents.Json(body)), HttpStatusCode.Unauthorized, "Unauthorized");
        await AssertProblemAsync(await none.PostAsync("v1/batch", RawEvents.Json(body)), HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_problem_even_when_gzipped()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var huge = RawEvents.Batch(RawEvents.Turn("t1", response: new string('a', 6 * 1024 * 1024)));

        await AssertProblemAsync(await http.PostAsync("v1/batch", RawEvents.Json(huge)), HttpStatusCode.RequestEntityTooLarge, "Body too large");
        await AssertProblemAsync(await http.PostAsync("v1/batch", Gzip(huge)), HttpStatusCode.RequestEntityTooLarge, "Body too large");
        Assert.Equal(0, await StoredAsync(project));
    }

    [Fact]
    public async Task Too_many_events_is_a_413_problem()
    {
        var (_, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var body = RawEvents.Batch(Enumerable.Range(0, 1001).Select(i => (JsonNode)RawEvents.Turn($"t{i}")).ToArray());

        await AssertProblemAsync(await http.PostAsync("v1/batch", RawEvents.Json(body)), HttpStatusCode.RequestEntityTooLarge, "Too many events");
    }

    [Fact]
    public async Task A_too_long_field_rejects_that_event_with_a_reason()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var longUser = RawEvents.Turn("t1");
        longUser["user_id"] = new string('u', 201);

        var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(longUser)));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "No event accepted");
        Assert.Equal("user_id is longer than 200 characters", problem.GetProperty("results")[0].GetProperty("reason").GetString());
        Assert.Equal(0, await StoredAsync(project));
    }

    [Fact]
    public async Task A_lone_surrogate_invalid_utf8_or_an_infinite_number_rejects_only_that_event()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var infinite = RawEvents.Turn("t3");
        infinite["rating"] = "__INFINITE__";
        var body = "{\"events\":[" + RawEvents.Turn("t1").ToJsonString().Replace("\"t1\"", "\"\\ud800\"", StringComparison.Ordinal)
            + "," + RawEvents.Turn("t2").ToJsonString() + "," + infinite.ToJsonString().Replace("\"__INFINITE__\"", "1e400", StringComparison.Ordinal) + ",";
        var invalidUtf8 = Encoding.UTF8.GetBytes(body).Concat(Encoding.UTF8.GetBytes(RawEvents.Turn("t4").ToJsonString().Replace("\"t4\"", "\"t\u00ff\"", StringComparison.Ordinal)))
            .Concat("]}"u8.ToArray()).ToArray();
        var at = Array.IndexOf(invalidUtf8, (byte)0xC3, body.Length); // "ÿ" is C3 BF in UTF-8; C3 alone is invalid
        invalidUtf8[at + 1] = (byte)'x';
        using var content = new ByteArrayContent(invalidUtf8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await http.PostAsync("v1/batch", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["results"]!.AsArray();
        Assert.Equal(["rejected", "accepted", "rejected", "rejected"], results.Select(r => (string)r!["status"]!));
        Assert.StartsWith("unreadable event: $.turn_id", (string)results[0]!["reason"]!, StringComparison.Ordinal);
        Assert.Equal("rating is out of range", (string)results[2]!["reason"]!);
        Assert.StartsWith("unreadable event: $.turn_id", (string)results[3]!["reason"]!, StringComparison.Ordinal);
        Assert.Equal(1, await StoredAsync(project));
    }

    [Fact]
    public async Task A_too_deeply_nested_event_is_rejected_alone_and_a_too_deep_body_is_a_400_problem()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var deep = RawEvents.Turn("t1");
        deep["extra"] = "__DEEP__";
        var body = RawEvents.Batch(deep, RawEvents.Turn("t2")).Replace("\"__DEEP__\"", new string('[', 80) + new string(']', 80), StringComparison.Ordinal);

        var response = await http.PostAsync("v1/batch", RawEvents.Json(body));
        var tooDeep = await http.PostAsync("v1/batch", RawEvents.Json("{\"events\":[" + new string('[', 200) + new string(']', 200) + "]}"));

        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["results"]!.AsArray();
        Assert.Equal(["rejected", "accepted"], results.Select(r => (string)r!["status"]!));
        Assert.Contains("depth", (string)results[0]!["reason"]!, StringComparison.Ordinal);
        await AssertProblemAsync(tooDeep, HttpStatusCode.BadRequest, "Malformed JSON");
        Assert.Equal(1, await StoredAsync(project));
    }

    [Fact]
    public async Task A_batch_spanning_more_than_a_hundred_month_partitions_is_stored_whole()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var start = new DateTimeOffset(2005, 1, 15, 0, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(0, 150).Select(month =>
        {
            var e = RawEvents.Turn($"t{month}");
            e["timestamp"] = start.AddMonths(month).ToString("O");
            return (JsonNode)e;
        }).ToArray();

        var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(events)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // one INSERT of 150 partitions would be code 252, a 503 on every retry
        Assert.Equal(150, await StoredAsync(project));
    }

    [Fact]
    public async Task A_gzipped_batch_is_accepted()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);

        var response = await http.PostAsync("v1/batch", Gzip(RawEvents.Batch(RawEvents.Turn("t1"), RawEvents.Edit("t1", "4"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, await StoredAsync(project));
    }

    [Fact]
    public async Task Broken_gzip_and_a_wrong_content_type_are_client_errors()
    {
        var (_, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var notGzip = RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t1")));
        notGzip.Headers.ContentEncoding.Add("gzip");

        await AssertProblemAsync(await http.PostAsync("v1/batch", notGzip), HttpStatusCode.BadRequest, "Invalid gzip body");
        await AssertProblemAsync(
            await http.PostAsync("v1/batch", new StringContent(RawEvents.Batch(RawEvents.Turn("t1")), Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType, null);
    }

    [Fact]
    public async Task A_key_only_writes_to_its_own_project()
    {
        var (projectA, keyA) = await store.NewProjectAsync();
        var (projectB, _) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, keyA);
        var intoB = RawEvents.Turn("t1");
        intoB["project"] = projectB;

        var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(intoB, RawEvents.Turn("t2"))));

        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["results"]!.AsArray();
        Assert.Equal("rejected", (string)results[0]!["status"]!);
        Assert.Contains("not the write key's project", (string)results[0]!["reason"]!, StringComparison.Ordinal);
        Assert.Equal(1, await StoredAsync(projectA));
        Assert.Equal(0, await StoredAsync(projectB));
    }

    [Fact]
    public async Task Health_and_the_openapi_document_are_served()
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        var health = await http.GetAsync("health");
        var openApi = JsonNode.Parse(await http.GetStringAsync("openapi/v1.json"))!;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.NotNull(openApi["paths"]!["/v1/batch"]!["post"]!["requestBody"]);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (title is not null) Assert.Equal(title, problem.GetProperty("title").GetString());
        return problem;
    }

    private static ByteArrayContent Gzip(string body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(body));
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
