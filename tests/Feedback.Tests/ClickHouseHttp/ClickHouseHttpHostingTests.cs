using Feedback.Server.ClickHouseHttp;
using Feedback.Server.Hosting;

namespace Feedback.Tests.ClickHouseHttp;

/// <summary>The embedded host serves the ClickHouse HTTP interface only when configured.</summary>
[Collection(SharedStore.Name)]
public sealed class ClickHouseHttpHostingTests(EmbeddedStore store)
{
    [Fact]
    public async Task The_endpoint_is_off_by_default()
    {
        Assert.Null(new FeedbackHostOptions().ClickHouseHttp);
        await using var app = await store.StartHostAsync();
        Assert.Null(app.Services.GetService<ClickHouseHttpServer>());
    }

    [Fact]
    public async Task When_configured_the_host_serves_it_on_127_0_0_1()
    {
        var options = new FeedbackHostOptions
        {
            DataDirectory = store.DataDirectory,
            Port = 0,
            MineEvery = TimeSpan.Zero,
            ClickHouseHttp = new ClickHouseHttpOptions { Port = 0, Password = "pw" },
        };
        using var console = new StringWriter();
        await using var app = await FeedbackHost.StartAsync(options, store.Engine, console);

        var server = app.Services.GetRequiredService<ClickHouseHttpServer>();
        Assert.Equal("127.0.0.1", server.Url.Host);
        Assert.Contains($"ClickHouse HTTP interface on {server.Url}", console.ToString(), StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = server.Url };
        Assert.Equal("1\n", await http.GetStringAsync("?user=default&password=pw&query=SELECT%201"));
    }

    [Fact]
    public async Task It_does_not_start_without_a_password()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ClickHouseHttpServer.StartAsync(new ClickHouseHttpOptions { Port = 0, Password = "" }, store.Engine));
    }
}
