using Feedback.Analytics;
using Feedback.Analytics.Conversations;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Loading;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store;
using Feedback.Analytics.Store.ChDb;
using Feedback.Analytics.Topics;
using Feedback.Analytics.Trends;
using Feedback.Ingest;
using Feedback.Ingest.Kafka;
using Feedback.Server.ClickHouseHttp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

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
        builder.Services.AddSingleton(options);
        builder.Services.AddFeedbackAnalytics(store);
        // The read API's queries run with a time limit (later registrations win): see TimeLimitedReads.
        var reads = new TimeLimitedReads(store, options.ReadQueryTimeout);
        builder.Services.AddSingleton(new TrendReports(reads));
        builder.Services.AddSingleton(new ConversationReader(reads));
        builder.Services.AddSingleton(new TopicReader(reads));
        builder.Services.AddExceptionHandler<QueryTimeoutHandler>();
        builder.Services.Configure<KafkaOptions>(builder.Configuration.GetSection(KafkaOptions.Section));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<KafkaOptions>>().Value);
        var kafka = builder.Configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();

        builder.Services.AddFeedbackIngest(builder.Configuration);
        builder.Services.AddHttpSurface();
        if (options.Capture && kafka.Enabled)
        {
            builder.Services.AddSingleton(KafkaSink.Options(kafka));
            builder.Services.AddSingleton(KafkaSink.Create);
            builder.Services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<KafkaEventSink>());
            builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka");
        }
        else
        {
            builder.Services.AddSingleton<IEventSink, StoreEventSink>();
        }
        if (options.Load)
        {
            builder.Services.AddSingleton<LoaderMetrics>();
            builder.Services.AddSingleton<EventLoader>();
            builder.Services.AddHostedService<LoaderService>();
        }
        if (kafka.Enabled && options.MineEvery > TimeSpan.Zero)
        {
            // Workers share the mining by Kafka's group assignment of shards of projects (docs/scaling.md).
            builder.Services.AddSingleton<ShardedMining>();
            builder.Services.AddHostedService<ShardedMiningScheduler>();
        }
        else
        {
            builder.Services.AddHostedService<MiningScheduler>();
        }
        builder.Services.AddSingleton(sp => LocalServer.Create(Address(sp.GetRequiredService<IServer>())));
        if (options.ClickHouseHttp is { } clickHouseHttp)
        {
            var engine = store as ChDbEngine ?? throw new InvalidOperationException("the ClickHouse HTTP interface serves the embedded store only");
            builder.Services.AddSingleton(_ => new ClickHouseHttpServer(clickHouseHttp, engine));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ClickHouseHttpServer>());
        }

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

        var roles = string.Join(", ", new[]
        {
            options.Capture ? $"capture API on {local.Url}, events to {(kafka.Enabled ? $"Kafka topic {kafka.Topic}" : "the store")}" : $"health on {local.Url}",
            options.Load ? $"loader from Kafka topic {kafka.Topic}" : null,
            options.MineEvery > TimeSpan.Zero
                ? $"miner every {options.MineEvery.TotalSeconds:0} s{(kafka.Enabled ? $" over the shards group {kafka.MiningGroup} gives it" : "")}"
                : null,
        }.Where(r => r is not null));
        await console.WriteLineAsync($"Feedback is running: {roles}; data in {options.DataDirectory ?? "the ClickHouse server"}");
        if (options.Capture) await console.WriteLineAsync($"Dashboard: {Dashboard.Url(local.Url)}");
        if (app.Services.GetService<ClickHouseHttpServer>() is { } clickHouse)
            await console.WriteLineAsync($"ClickHouse HTTP interface on {clickHouse.Url} (user '{options.ClickHouseHttp!.User}', password as given)");
        if (firstKey is not null)
        {
            await console.WriteLineAsync($"Created project '{ProjectKeys.DefaultProject}'. Its write key (shown only this once, keep it):");
            await console.WriteLineAsync($"    {firstKey}");
            if (options.Capture)
            {
                // The dashboard needs a read key; the fragment (#key=) never reaches a server, and the page keeps it.
                var readKey = await app.Services.GetRequiredService<ProjectKeys>().CreateKeyAsync(ProjectKeys.DefaultProject, KeyKind.Read, cancellationToken);
                await console.WriteLineAsync("Its dashboard, with a read key (shown only this once; the page remembers it):");
                await console.WriteLineAsync($"    {Dashboard.Url(local.Url)}#key={readKey}");
            }
        }
        return app;
    }

    /// <summary>The address the server actually bound (the port is chosen by the OS when 0 was asked for).</summary>
    public static string Address(IServer server) =>
        server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
