using System.Net;
using Feedback.Server.Hosting;

namespace Feedback.Tests.Dashboard;

/// <summary>The product serves the bundled dashboard and says where.</summary>
[Collection(SharedStore.Name)]
public sealed class DashboardHostingTests(EmbeddedStore store)
{
    [Fact]
    public async Task Serve_prints_the_dashboard_address_and_serves_the_bundled_page()
    {
        using var console = new StringWriter();
        await using var host = await FeedbackHost.StartAsync(
            new FeedbackHostOptions { DataDirectory = store.DataDirectory, Port = 0, MineEvery = TimeSpan.Zero }, store.Engine, console);
        var url = host.Services.GetRequiredService<LocalServer>().Url;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };

        Assert.Contains($"Dashboard: {url.TrimEnd('/')}/dashboard/", console.ToString(), StringComparison.Ordinal);
        using var root = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/dashboard/", root.Headers.Location?.OriginalString);
        using var page = await http.GetAsync("/dashboard/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"app.js\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var script = await http.GetAsync("/dashboard/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("u-over", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal); // uPlot is bundled in
        using var style = await http.GetAsync("/dashboard/app.css");
        Assert.Equal(HttpStatusCode.OK, style.StatusCode);
        using var unknown = await http.GetAsync("/dashboard/secrets.txt");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
