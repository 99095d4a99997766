using System.Text;
using Feedback.Analytics.Store;
using Feedback.Analytics.Store.ChDb;
using Feedback.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;

namespace Feedback.Server.ClickHouseHttp;

/// <summary>
/// ClickHouse's HTTP interface over the embedded store, on a port of its own on 127.0.0.1, behind a password:
/// curl and ClickHouse clients (ClickHouse.Driver) talk to the embedded engine as to a ClickHouse server.
/// A hosted service of the embedded host when configured; tests start it on their own.
/// </summary>
public sealed class ClickHouseHttpServer(ClickHouseHttpOptions options, ChDbEngine engine) : IHostedService, IAsyncDisposable
{
    private WebApplication? app;

    /// <summary>The address it listens on, e.g. http://127.0.0.1:8123.</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<ClickHouseHttpServer> StartAsync(ClickHouseHttpOptions options, ChDbEngine engine, CancellationToken cancellationToken = default)
    {
        var server = new ClickHouseHttpServer(options, engine);
        await server.StartAsync(cancellationToken);
        return server;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Password))
            throw new InvalidOperationException("the ClickHouse HTTP interface needs a password (--clickhouse-password)");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null; // inserts can be large
            // Query parameters travel in the URL, as a ClickHouse server takes them, up to its http_max_uri_size (1 MiB);
            // Kestrel's default of 8 KB refused a mining statement's list of a few hundred projects.
            kestrel.Limits.MaxRequestLineSize = 1 << 20;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning);
        var web = builder.Build();

        var handler = new ClickHouseHttpHandler(engine, options, await ReadServerInfoAsync(cancellationToken));
        web.MapMethods("/ping", ["GET", "HEAD"], () => Results.Text("Ok.\n"));
        web.MapMethods("/", ["GET", "POST"], handler.HandleAsync);
        await web.StartAsync(cancellationToken);
        app = web;
        Url = new Uri(FeedbackHost.Address(web.Services.GetRequiredService<IServer>()));
    }

    private async Task<ServerInfo> ReadServerInfoAsync(CancellationToken cancellationToken)
    {
        var result = await engine.QueryRawAsync(
            new RawQuery { Sql = "SELECT timezone(), displayName(), version()"u8.ToArray(), Format = "TabSeparated" }, cancellationToken);
        var fields = Encoding.UTF8.GetString(result.Output).TrimEnd('\n').Split('\t');
        return new ServerInfo(fields[0], fields[1], fields[2]);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null) await app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
        app = null;
    }
}
