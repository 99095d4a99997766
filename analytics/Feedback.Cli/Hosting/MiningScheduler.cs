using Feedback.Analytics.Mining;

namespace Feedback.Cli.Hosting;

/// <summary>Runs the mining job every <see cref="FeedbackHostOptions.MineEvery"/>; a failed run is logged and retried next time.</summary>
public sealed partial class MiningScheduler(MiningJob job, FeedbackHostOptions options, ILogger<MiningScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.MineEvery <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.MineEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var result = await job.RunAsync(stoppingToken);
                if (result.TotalPairs > 0) LogMined(logger, result.TotalPairs);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mined {Count} new preference pairs")]
    private static partial void LogMined(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mining run failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
