using Feedback.Analytics.Mining;
using Feedback.Analytics.Topics;

namespace Feedback.Server.Hosting;

/// <summary>
/// Runs the mining job every <see cref="FeedbackHostOptions.MineEvery"/>, then the topic job (new negative turns
/// to their topics; a fit when a project needs one). A failed run is logged and retried next time.
/// </summary>
public sealed partial class MiningScheduler(MiningJob job, TopicJob topics, FeedbackHostOptions options, ILogger<MiningScheduler> logger) : BackgroundService
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
                var topicRun = await topics.RunAsync(stoppingToken);
                if (topicRun.Assigned > 0) LogTopics(logger, topicRun.Assigned, topicRun.Topics);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mined {Count} new preference pairs")]
    private static partial void LogMined(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned {Turns} negative turns to topics ({Topics} topics fitted)")]
    private static partial void LogTopics(ILogger logger, int turns, int topics);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mining run failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
