using Feedback.Analytics.Kafka;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Feedback.Server.Hosting;

/// <summary>
/// Builds and starts a Feedback process: the capture API (to the store, or to Kafka when configured), the
/// loader, and the miner on a schedule, as <see cref="FeedbackHostOptions"/> says. Only the connection settings
/// differ between the embedded and the distributed mode; the code paths are the same.
/// </summary>
public static class FeedbackHost
{
    /// <summary>Migrates the store, creates the default project on first start, and starts serving.</summary>
    public static async Task<WebApplication> StartAsync(
        FeedbackHostOptions options, IClickHouse store, TextWriter console,
        IEnumerable<KeyValuePair<string, string?>>? settings = null, CancellationToken cancellationToken = default)
    {
        await Migrator.MigrateAsync(store, cancellationToken);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls($"http://{options.ListenAddress}:{options.Port}");
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning);
        var kafka = builder.Configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
        builder.Services.AddFeedbackServer(options, store, kafka, builder.Configuration);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (options.Capture)
        {
            app.MapHttpSurface();
            app.MapDashboard();
        }
        else
        {
            app.MapHealthChecks("/health"); // a worker serves no capture API
        }

        var firstKey = await app.Services.GetRequiredService<ProjectKeys>().EnsureDefaultProjectAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        var local = app.Services.GetRequiredService<LocalServer>();
        if (options.DataDirectory is { } dataDirectory)
        {
            local.Publish(dataDirectory);
            app.Lifetime.ApplicationStopped.Register(() => LocalServer.Withdraw(dataDirectory));
        }

        await StartupBanner.WriteAsync(app, options, kafka, firstKey, console, cancellationToken);
        return app;
    }

    /// <summary>The address the server actually bound (the port is chosen by the OS when 0 was asked for).</summary>
    public static string Address(IServer server) =>
        server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
