using Feedback.Analytics;
using Feedback.Analytics.Conversations;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Loading;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;
using Feedback.Analytics.Store.ChDb;
using Feedback.Analytics.Topics;
using Feedback.Analytics.Trends;
using Feedback.Ingest;
using Feedback.Ingest.Kafka;
using Feedback.Server.ClickHouseHttp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Feedback.Server.Hosting;

/// <summary>The services of one Feedback process, as <see cref="FeedbackHostOptions"/> and the Kafka settings say.</summary>
public static class FeedbackServices
{
    public static IServiceCollection AddFeedbackServer(
        this IServiceCollection services, FeedbackHostOptions options, IClickHouse store, KafkaOptions kafka, IConfiguration configuration)
    {
        services.AddSingleton(options);
        services.AddFeedbackAnalytics(store);
        // The read API's queries run with a time limit (later registrations win): see TimeLimitedReads.
        var reads = new TimeLimitedReads(store, options.ReadQueryTimeout);
        services.AddSingleton(new TrendReports(reads));
        services.AddSingleton(new ConversationReader(reads));
        services.AddSingleton(new TopicReader(reads));
        services.AddExceptionHandler<QueryTimeoutHandler>();
        services.Configure<KafkaOptions>(configuration.GetSection(KafkaOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<KafkaOptions>>().Value);

        services.AddFeedbackIngest(configuration);
        services.AddHttpSurface();
        if (options.Capture && kafka.Enabled)
        {
            services.AddSingleton(KafkaSink.Options(kafka));
            services.AddSingleton(KafkaSink.Create);
            services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<KafkaEventSink>());
            services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka");
        }
        else
        {
            services.AddSingleton<IEventSink, StoreEventSink>();
        }
        if (options.Load)
        {
            services.AddSingleton<LoaderMetrics>();
            services.AddSingleton<EventLoader>();
            services.AddHostedService<LoaderService>();
        }
        if (kafka.Enabled && options.MineEvery > TimeSpan.Zero)
        {
            // Workers share the mining by Kafka's group assignment of shards of projects (docs/scaling.md).
            services.AddSingleton<ShardedMining>();
            services.AddHostedService<ShardedMiningScheduler>();
        }
        else
        {
            services.AddHostedService<MiningScheduler>();
        }
        services.AddSingleton(sp => LocalServer.Create(FeedbackHost.Address(sp.GetRequiredService<IServer>())));
        if (options.ClickHouseHttp is { } clickHouseHttp)
        {
            var engine = store as ChDbEngine ?? throw new InvalidOperationException("the ClickHouse HTTP interface serves the embedded store only");
            services.AddSingleton(_ => new ClickHouseHttpServer(clickHouseHttp, engine));
            services.AddHostedService(sp => sp.GetRequiredService<ClickHouseHttpServer>());
        }
        options.ConfigureServices?.Invoke(services);
        return services;
    }
}
