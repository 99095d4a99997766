using Feedback.Tests.Dashboard;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Feedback.Tests.Capture;

/// <summary>
/// A web site of its own, on another port of 127.0.0.1 and so another origin than the Feedback server's: it serves the
/// browser folder's capture-page.html (a chat UI) and /bye.html (somewhere to go, so the chat page is left).
/// </summary>
internal sealed class TestPageServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestPageServer(WebApplication app, string url)
    {
        this.app = app;
        Url = url.TrimEnd('/');
    }

    /// <summary>The site's origin, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; }

    public static async Task<TestPageServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var page = Path.Combine(BrowserScript.Directory, "capture-page.html");
        app.MapGet("/capture-page.html", () => Results.File(page, "text/html; charset=utf-8"));
        app.MapGet("/bye.html", () => Results.Content("<!doctype html><title>Bye</title><p>Left the chat.</p>", "text/html; charset=utf-8"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestPageServer(app, url);
    }

    /// <summary>The chat page with what the page's backend would hand it: the capture server, the write key and the ids.</summary>
    public string ChatPage(string server, string key, string user, string session, string conversation) =>
        $"{Url}/capture-page.html?server={Uri.EscapeDataString(server)}&key={Uri.EscapeDataString(key)}"
        + $"&user={Uri.EscapeDataString(user)}&session={Uri.EscapeDataString(session)}&conversation={Uri.EscapeDataString(conversation)}";

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
