using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Feedback.Analytics.Events;
using Feedback.Analytics.Projects;

namespace Feedback.Tests.Capture;

/// <summary>
/// The server's side of browser capture over real HTTP on 127.0.0.1: the script it serves, CORS for a key's allowed
/// origins, the beacon path (key in the query, text/plain body) and that it keeps every ingest check.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class BrowserCaptureApiTests(EmbeddedStore store) : IAsyncLifetime
{
    private const string Chat = "https://chat.example.com";
    private const string Elsewhere = "https://evil.example.net";

    private WebApplication host = null!;
    private string url = null!;

    public async Task InitializeAsync()
    {
        host = await store.StartHostAsync();
        url = host.Urls.First();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task The_script_is_served_as_cacheable_javascript_and_is_the_npm_package_file()
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var packageDirectory = Path.Combine(RepositoryRoot(), "sdk", "browser");
        var source = await File.ReadAllBytesAsync(Path.Combine(packageDirectory, "feedback.js"));

        using var plain = await http.GetAsync("v1/feedback.js");
        using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, "v1/feedback.js") { Headers = { AcceptEncoding = { new StringWithQualityHeaderValue("gzip") } } };
        using var gzipped = await http.SendAsync(gzipRequest);
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, "v1/feedback.js") { Headers = { IfNoneMatch = { plain.Headers.ETag! } } };
        using var notModified = await http.SendAsync(revalidation);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("text/javascript", plain.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", plain.Content.Headers.ContentType.CharSet);
        Assert.Equal(source, await plain.Content.ReadAsByteArrayAsync()); // the package's own file, byte for byte
        Assert.True(plain.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromHours(1), plain.Headers.CacheControl.MaxAge);
        Assert.Equal("*", plain.Headers.GetValues("Access-Control-Allow-Origin").Single()); // a module script from another origin needs it
        Assert.Equal("nosniff", plain.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("gzip", gzipped.Content.Headers.ContentEncoding.Single());
        await using (var unzip = new GZipStream(await gzipped.Content.ReadAsStreamAsync(), CompressionMode.Decompress))
        using (var copy = new MemoryStream())
        {
            await unzip.CopyToAsync(copy);
            Assert.Equal(source, copy.ToArray());
        }
        // The npm package is that file and nothing else, with the SDK's version and no dependencies.
        var package = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(packageDirectory, "package.json")))!;
        Assert.Equal("./feedback.js", (string)package["exports"]!);
        Assert.Equal("module", (string)package["type"]!);
        Assert.Equal(["feedback.js"], package["files"]!.AsArray().Select(f => (string)f!));
        Assert.Null(package["dependencies"]);
        var sdkVersion = XDocument.Load(Path.Combine(RepositoryRoot(), "sdk", "Directory.Build.props")).Descendants("FeedbackSdkVersion").Single().Value;
        Assert.Equal(sdkVersion, (string)package["version"]!);
    }

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_granted_and_any_other_is_refused_without_a_grant()
    {
        var (project, serverKey) = await store.NewProjectAsync();
        var pageKey = await new ProjectKeys(store.Engine).CreateWriteKeyAsync(project, [Chat + "/", "http://127.0.0.1:5173"]);
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        using var granted = await http.SendAsync(Preflight($"v1/batch?key={pageKey}", Chat));
        using var local = await http.SendAsync(Preflight($"v1/batch?key={pageKey}", "http://127.0.0.1:5173"));
        using var otherOrigin = await http.SendAsync(Preflight($"v1/batch?key={pageKey}", Elsewhere));
        using var serverOnlyKey = await http.SendAsync(Preflight($"v1/batch?key={serverKey}", Chat));
        using var noKey = await http.SendAsync(Preflight("v1/batch", Chat));
        using var unknownKey = await http.SendAsync(Preflight("v1/batch?key=fbw_made-up", Chat));

        Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        Assert.Equal(Chat, granted.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", granted.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("Content-Type", granted.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Equal("7200", granted.Headers.GetValues("Access-Control-Max-Age").Single());
        Assert.Contains("Origin", granted.Headers.Vary);
        Assert.Equal("http://127.0.0.1:5173", local.Headers.GetValues("Access-Control-Allow-Origin").Single());
        foreach (var (refused, status) in new[] { (otherOrigin, HttpStatusCode.Forbidden), (serverOnlyKey, HttpStatusCode.Forbidden), (noKey, HttpStatusCode.Unauthorized), (unknownKey, HttpStatusCode.Unauthorized) })
        {
            await AssertProblemAsync(refused, status);
            Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        }
        Assert.Contains("open to no web origin", (string)JsonNode.Parse(await serverOnlyKey.Content.ReadAsStringAsync())!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_from_a_disallowed_origin_is_a_403_problem_and_stores_nothing()
    {
        var (project, serverKey) = await store.NewProjectAsync();
        var pageKey = await new ProjectKeys(store.Engine).CreateWriteKeyAsync(project, [Chat]);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var body = RawEvents.Batch(RawEvents.Turn("t1"));

        using var beacon = await http.SendAsync(Post($"v1/batch?key={pageKey}", body, "text/plain", Elsewhere));
        using var json = await http.SendAsync(Post($"v1/batch?key={pageKey}", body, "application/json", Elsewhere));
        using var bearer = await http.SendAsync(Post("v1/batch", body, "application/json", Elsewhere, bearer: pageKey));
        using var serverKeyFromAPage = await http.SendAsync(Post("v1/batch", body, "application/json", Chat, bearer: serverKey));
        using var nullOrigin = await http.SendAsync(Post($"v1/batch?key={pageKey}", body, "text/plain", "null")); // sandboxed frames, file: pages

        foreach (var refused in new[] { beacon, json, bearer, serverKeyFromAPage, nullOrigin })
        {
            var problem = await AssertProblemAsync(refused, HttpStatusCode.Forbidden);
            Assert.Equal("Forbidden", problem.GetProperty("title").GetString());
            Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        }
        Assert.Equal(0, await new EventStore(store.Engine).CountAsync(project));
    }

    [Fact]
    public async Task A_beacon_with_the_key_in_the_query_and_a_text_plain_body_is_stored_once_however_often_it_comes()
    {
        var (project, _) = await store.NewProjectAsync();
        var pageKey = await new ProjectKeys(store.Engine).CreateWriteKeyAsync(project, [Chat]);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var body = RawEvents.Batch(RawEvents.Turn("t1"), RawEvents.Edit("t1", "better"));

        using var first = await http.SendAsync(Post($"v1/batch?key={pageKey}", body, "text/plain;charset=UTF-8", Chat));
        using var again = await http.SendAsync(Post($"v1/batch?key={pageKey}", body, "text/plain;charset=UTF-8", Chat));
        using var fetched = await http.SendAsync(Post($"v1/batch?key={pageKey}", body, "application/json", Chat));
        using var noOrigin = await http.SendAsync(Post($"v1/batch?key={pageKey}", body, "application/json", origin: null)); // a server client may use the key too

        foreach (var response in new[] { first, again, fetched })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Chat, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Equal(2, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!);
        }
        Assert.Equal(HttpStatusCode.OK, noOrigin.StatusCode);
        Assert.False(noOrigin.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(2, await new EventStore(store.Engine).CountAsync(project));
    }

    [Fact]
    public async Task The_browser_path_keeps_the_ingest_checks_and_other_clients_keep_theirs()
    {
        var (project, serverKey) = await store.NewProjectAsync();
        var pageKey = await new ProjectKeys(store.Engine).CreateWriteKeyAsync(project, [Chat]);
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var body = RawEvents.Batch(RawEvents.Turn("t1"));
        var huge = RawEvents.Batch(RawEvents.Turn("t1", response: new string('a', 6 * 1024 * 1024)));
        var invalid = RawEvents.Turn("t2");
        invalid.Remove("user_id");

        // text/plain is the beacon's type: only with the key in the query, never for a bearer key (as before).
        await AssertProblemAsync(await http.SendAsync(Post("v1/batch", body, "text/plain", origin: null, bearer: serverKey)), HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await http.SendAsync(Post($"v1/batch?key={pageKey}", body, "application/x-www-form-urlencoded", Chat)), HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await http.SendAsync(Post($"v1/batch?key={pageKey}", huge, "text/plain", Chat)), HttpStatusCode.RequestEntityTooLarge);
        using var malformed = await http.SendAsync(Post($"v1/batch?key={pageKey}", "{\"events\": [", "text/plain", Chat));
        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
        Assert.Equal(Chat, malformed.Headers.GetValues("Access-Control-Allow-Origin").Single()); // past the key check, the page may read why
        var rejected = await AssertProblemAsync(await http.SendAsync(Post($"v1/batch?key={pageKey}", RawEvents.Batch(invalid), "text/plain", Chat)), HttpStatusCode.BadRequest);
        Assert.Equal("user_id is required", rejected.GetProperty("results")[0].GetProperty("reason").GetString());
        // A read key never works in the query, and cannot write.
        await AssertProblemAsync(await http.SendAsync(Post($"v1/batch?key={readKey}", body, "text/plain", Chat)), HttpStatusCode.Forbidden);
        Assert.Equal(0, await new EventStore(store.Engine).CountAsync(project));

        // Made-up keys in the query count toward the same per-address limit as bearer ones.
        for (var i = 0; i < 30; i++)
            await AssertProblemAsync(await http.SendAsync(Post($"v1/batch?key=fbw_guess{i}", body, "text/plain", Chat)), HttpStatusCode.Unauthorized);
        using var limited = await http.SendAsync(Preflight("v1/batch?key=fbw_guess-more", Chat));
        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
        // A key this process knows to be valid still gets through.
        using var known = await http.SendAsync(Post($"v1/batch?key={pageKey}", body, "text/plain", Chat));
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }

    [Fact]
    public async Task Allowed_origins_are_kept_with_the_key_in_the_store()
    {
        var (project, _) = await store.NewProjectAsync();
        var pageKey = await new ProjectKeys(store.Engine).CreateWriteKeyAsync(project, ["https://Chat.Example.com:443/", "http://localhost:3000", Chat]);

        var grant = await new ProjectKeys(store.Engine).FindGrantAsync(pageKey); // a fresh instance reads the store

        Assert.Equal((project, KeyKind.Write), (grant!.Project, grant.Kind));
        Assert.Equal([Chat, "http://localhost:3000"], grant.Origins);
        Assert.True(grant.AllowsOrigin("https://chat.example.com"));
        Assert.False(grant.AllowsOrigin("http://chat.example.com"));
        Assert.False(grant.AllowsOrigin("https://sub.chat.example.com"));
        Assert.False(grant.AllowsOrigin(null));
        await Assert.ThrowsAsync<ArgumentException>(() => new ProjectKeys(store.Engine).CreateWriteKeyAsync(project, ["chat.example.com"]));
    }

    private static HttpRequestMessage Preflight(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    private static HttpRequestMessage Post(string path, string body, string contentType, string? origin, string? bearer = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Feedback.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Feedback.sln not found above " + AppContext.BaseDirectory);
    }
}
