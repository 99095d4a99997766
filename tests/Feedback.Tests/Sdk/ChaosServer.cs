using System.Net;
using System.Net.Sockets;

namespace Feedback.Tests.Sdk;

/// <summary>
/// A real HTTP server on 127.0.0.1 in front of the real ingest API that misbehaves on cue: each request takes
/// the next scripted behaviour, and once the script is used up every request is forwarded.
/// </summary>
public sealed class ChaosServer : IAsyncDisposable
{
    public enum Behaviour
    {
        Forward,
        ServerError,
        TooManyRequests,
        Hang,
        ForwardThenFail, // the events are stored, but the client never hears so: it must resend, and nothing may double
    }

    private readonly Queue<Behaviour> script;
    private readonly HttpClient upstream;
    private readonly WebApplication app;
    private int requests;

    private ChaosServer(WebApplication app, string upstreamUrl, IEnumerable<Behaviour> script)
    {
        this.app = app;
        this.script = new Queue<Behaviour>(script);
        upstream = new HttpClient { BaseAddress = new Uri(upstreamUrl) };
    }

    public int Requests => Volatile.Read(ref requests);

    public List<Behaviour> Played { get; } = [];

    /// <summary>A port nothing listens on yet: connecting is refused until a server starts there.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static async Task<ChaosServer> StartAsync(int port, string upstreamUrl, params Behaviour[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var chaos = new ChaosServer(app, upstreamUrl, script);
        app.MapPost("/v1/batch", chaos.HandleAsync);
        await app.StartAsync();
        return chaos;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref requests);
        Behaviour next;
        lock (script) next = script.Count > 0 ? script.Dequeue() : Behaviour.Forward;
        lock (Played) Played.Add(next);
        switch (next)
        {
            case Behaviour.ServerError:
                context.Response.StatusCode = 500;
                return;
            case Behaviour.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return;
            case Behaviour.Hang:
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        using var forward = new HttpRequestMessage(HttpMethod.Post, "v1/batch") { Content = new ByteArrayContent(body.ToArray()) };
        forward.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
        forward.Content.Headers.TryAddWithoutValidation("Content-Encoding", context.Request.Headers.ContentEncoding.ToString());
        forward.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        using var answer = await upstream.SendAsync(forward);
        if (next == Behaviour.ForwardThenFail)
        {
            context.Response.StatusCode = 502;
            return;
        }
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
        await answer.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        upstream.Dispose();
        await app.DisposeAsync();
    }
}
