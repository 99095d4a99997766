using Feedback.Analytics.Kafka;
using Feedback.Analytics.Store.Server;
using Feedback.Server.Hosting;

namespace Feedback.Cli;

/// <summary>The distributed mode's processes (<c>ingest</c>, <c>worker</c>): the same host, with Kafka and a ClickHouse server from configuration.</summary>
public static class DistributedRun
{
    public static async Task<int> RunAsync(FeedbackHostOptions options, CancellationToken cancellationToken)
    {
        var configuration = DistributedSettings.Read();
        var clickHouse = configuration.GetSection(ClickHouseOptions.Section).Get<ClickHouseOptions>() ?? new ClickHouseOptions();
        if (string.IsNullOrWhiteSpace(clickHouse.ConnectionString))
        {
            await Console.Error.WriteLineAsync("Set Feedback:ClickHouse:ConnectionString (env Feedback__ClickHouse__ConnectionString).");
            return 2;
        }
        if (!(configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions()).Enabled)
        {
            await Console.Error.WriteLineAsync("Set Feedback:Kafka:BootstrapServers (env Feedback__Kafka__BootstrapServers).");
            return 2;
        }
        using var store = new ClickHouseServerStore(clickHouse.ConnectionString);
        await using var app = await FeedbackHost.StartAsync(options, store, Console.Out, cancellationToken: cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
