using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Feedback.Analytics.Store;
using Xunit.Abstractions;

namespace Feedback.Tests.Ingest;

/// <summary>
/// Thousands of seeded hostile requests against the real host over HTTP on 127.0.0.1 (docs/reliability.md):
/// no request gets a 5xx, and every valid event of every mixed batch is stored exactly once.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class HostileInputFuzzTests(EmbeddedStore store, ITestOutputHelper output) : IAsyncLifetime
{
    public const int Seed = 14;
    public const int MixedBatches = 2000;
    public const int BrokenRequests = 2000;

    private static readonly HashSet<HttpStatusCode> Documented =
    [
        HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound,
        HttpStatusCode.MethodNotAllowed, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.TooManyRequests,
    ];

    private WebApplication host = null!;
    private string url = null!;

    public async Task InitializeAsync()
    {
        host = await store.StartHostAsync();
        url = host.Urls.First();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Mixed_batches_keep_every_valid_event_exactly_once_and_reject_each_hostile_one()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var requests = new HostileRequests(Seed);
        var expected = new List<string>();

        for (var i = 0; i < MixedBatches; i++)
        {
            var (body, validIds, valid) = requests.MixedBatch();
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("v1/batch", content);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(Documented.Contains(response.StatusCode), $"batch {i}: {(int)response.StatusCode} {text}");
            Assert.Equal(validIds.Count > 0 ? HttpStatusCode.OK : HttpStatusCode.BadRequest, response.StatusCode);
            using var answer = JsonDocument.Parse(text);
            var results = answer.RootElement.GetProperty("results");
            Assert.Equal(valid.Count, results.GetArrayLength());
            for (var e = 0; e < valid.Count; e++)
            {
                var result = results[e];
                Assert.True(valid[e] ? result.GetProperty("status").GetString() == "accepted" : result.GetProperty("status").GetString() == "rejected"
                    && !string.IsNullOrEmpty(result.GetProperty("reason").GetString()), $"batch {i}, event {e}: {result}");
            }
            expected.AddRange(validIds);
        }

        // Raw rows, not FINAL: each valid event must have been written once, and nothing else.
        var stored = await store.Engine.QueryAsync<StoredId>(
            "SELECT toString(event_id) AS id, count() AS copies FROM events WHERE project = {project:String} GROUP BY event_id", new { project });
        Assert.Equal(expected.Order(StringComparer.Ordinal), stored.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.All(stored, s => Assert.Equal(1, s.Copies));
        output.WriteLine($"{MixedBatches} mixed batches, {expected.Count} valid events, {stored.Count} stored once each");
    }

    [Fact]
    public async Task Broken_requests_get_a_client_error_never_a_5xx()
    {
        var (_, key) = await store.NewProjectAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var requests = new HostileRequests(Seed + 1);
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < BrokenRequests; i++)
        {
            var (body, contentType, encoding, authorization, what) = requests.BrokenRequest(key);
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/batch") { Content = new ByteArrayContent(body) };
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            if (encoding is not null) request.Content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
            if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await http.SendAsync(request);

            Assert.True(Documented.Contains(response.StatusCode), $"request {i} ({what}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
        }

        output.WriteLine($"{BrokenRequests} broken requests: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}")));
        // The generator reaches every class of answer it aims at, so a silent change of it cannot make the test vacuous.
        Assert.All(new[] { 200, 400, 401, 413, 415 }, s => Assert.True(statuses.ContainsKey(s), $"no {s} among {string.Join(", ", statuses)}"));
    }

    private sealed record StoredId(string Id, long Copies);
}
