using Feedback.Analytics;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store.ChDb;
using Feedback.Cli.ClickHouseHttp;
using Feedback.Ingest;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Feedback.Cli.Hosting;

/// <summary>
/// The embedded single-process mode: capture API on 127.0.0.1, the embedded ClickHouse store, and the miner
/// on a schedule, in one process.
/// </summary>
public static class EmbeddedHost
{
    /// <summary>Migrates the store, creates the default project on first start, and starts serving.</summary>
    public static async Task<WebApplication> StartAsync(EmbeddedOptions options, ChDbEngine engine, TextWriter console, CancellationToken cancellationToken = default)
    {
        await Migrator.MigrateAsync(engine, cancellationToken);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Services.AddFeedbackAnalytics(engine);
        builder.Services.AddFeedbackIngest(builder.Configuration);
        builder.Services.AddSingleton<IEventSink, StoreEventSink>();
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<MiningScheduler>();
        builder.Services.AddSingleton(sp => LocalServer.Create(Address(sp.GetRequiredService<IServer>())));
        if (options.ClickHouseHttp is { } clickHouseHttp)
        {
            builder.Services.AddSingleton(_ => new ClickHouseHttpServer(clickHouseHttp, engine));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ClickHouseHttpServer>());
        }
        builder.Services.AddControllers().AddApplicationPart(typeof(EmbeddedHost).Assembly);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapFeedbackIngest();

        var firstKey = await app.Services.GetRequiredService<ProjectKeys>().EnsureDefaultProjectAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        var local = app.Services.GetRequiredService<LocalServer>();
        local.Publish(options.DataDirectory);
        app.Lifetime.ApplicationStopped.Register(() => LocalServer.Withdraw(options.DataDirectory));

        await console.WriteLineAsync($"Feedback is running: capture API on {local.Url}, data in {options.DataDirectory}");
        if (app.Services.GetService<ClickHouseHttpServer>() is { } clickHouse)
            await console.WriteLineAsync($"ClickHouse HTTP interface on {clickHouse.Url} (user '{options.ClickHouseHttp!.User}', password as given)");
        if (firstKey is not null)
        {
            await console.WriteLineAsync($"Created project '{ProjectKeys.DefaultProject}'. Its write key (shown only this once, keep it):");
            await console.WriteLineAsync($"    {firstKey}");
        }
        return app;
    }

    /// <summary>The address the server actually bound (the port is chosen by the OS when 0 was asked for).</summary>
    public static string Address(IServer server) =>
        server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
