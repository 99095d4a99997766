using Feedback.Analytics.Loading;

namespace Feedback.Server.Hosting;

/// <summary>Runs the Kafka → store loader for the life of the host.</summary>
public sealed class LoaderService(EventLoader loader) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loader.RunAsync(stoppingToken);
}
