using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Feedback.Tests.Process;

namespace Feedback.Tests.Capture;

/// <summary>The real `feedback project key create --origin`, then the real server it opens to those pages.</summary>
public sealed partial class BrowserKeyCliTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-browser-key-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_key_created_with_origins_lets_pages_on_those_origins_send_and_refuses_others()
    {
        await FeedbackProcess.RunAsync(dataDirectory, "project", "create", "shop");
        var created = await FeedbackProcess.RunAsync(dataDirectory, "project", "key", "create", "shop", "--origin", "https://Chat.Example.com/", "--origin", "http://127.0.0.1:5173");
        var key = KeyLine().Match(created).Groups[1].Value;
        var readWithOrigin = await FeedbackProcess.TryRunAsync(dataDirectory, "project", "key", "create", "shop", "--read", "--origin", "https://chat.example.com");
        var notAnOrigin = await FeedbackProcess.TryRunAsync(dataDirectory, "project", "key", "create", "shop", "--origin", "chat.example.com/app");

        Assert.Contains("Web pages on https://chat.example.com, http://127.0.0.1:5173 may send events with it", created, StringComparison.Ordinal);
        Assert.NotEqual(0, readWithOrigin.ExitCode);
        Assert.Contains("--origin is for write keys", readWithOrigin.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, notAnOrigin.ExitCode);
        Assert.Contains("is not an origin", notAnOrigin.Output, StringComparison.Ordinal);
        await using var server = await FeedbackProcess.ServeAsync(dataDirectory);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var allowed = await http.SendAsync(Beacon(key, "https://chat.example.com"));
        using var other = await http.SendAsync(Beacon(key, "https://chat.example.com.evil.net"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("https://chat.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    private static HttpRequestMessage Beacon(string key, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"v1/batch?key={Uri.EscapeDataString(key)}")
        {
            Content = new StringContent(RawEvents.Batch(RawEvents.Turn("t1")), Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", origin);
        return request;
    }

    public void Dispose()
    {
        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
    }

    [GeneratedRegex(@"^\s+(fbw_\S+)$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();
}
