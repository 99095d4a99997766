using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using Feedback.Events;

namespace Feedback.Tests.Sdk;

/// <summary>A tiny ingest on 127.0.0.1 that records what it is sent and answers like <c>POST /v1/batch</c>.</summary>
public sealed class FakeIngest : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<FeedbackEvent> events = new();

    private FakeIngest(WebApplication app) => this.app = app;

    public Uri Url => new(app.Urls.First());

    public IReadOnlyList<FeedbackEvent> Events => [.. events];

    public IReadOnlyList<FeedbackEvent> OfKind(string kind) => [.. events.Where(e => e.Kind == kind)];

    public static async Task<FakeIngest> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var ingest = new FakeIngest(app);
        app.MapPost("/v1/batch", async (HttpRequest request) =>
        {
            var body = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
            await using (body)
            {
                var batch = await JsonSerializer.DeserializeAsync<Batch>(body, FeedbackJson.Options);
                var received = batch!.Events;
                foreach (var e in received) ingest.events.Enqueue(e);
                return Results.Json(new
                {
                    accepted = received.Count,
                    rejected = 0,
                    results = received.Select((e, i) => new { index = i, event_id = e.EventId, status = "accepted" }),
                });
            }
        });
        await app.StartAsync();
        return ingest;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private sealed record Batch(List<FeedbackEvent> Events);
}
