using Feedback.Analytics.Mining;
using Feedback.Analytics.Topics;

namespace Feedback.Server.Hosting;

/// <summary>
/// The distributed mode's miner: every <see cref="FeedbackHostOptions.MineEvery"/> the mining job, then the topic
/// job, over the shards of projects Kafka's group assignment gives this worker (<see cref="ShardedMining"/>), so
/// workers share the mining instead of each running all of it.
/// </summary>
public sealed partial class ShardedMiningScheduler(
    ShardedMining shards, MiningJob job, TopicJob topics, FeedbackHostOptions options, ILogger<ShardedMiningScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        shards.RunAsync(options.MineEvery, async (held, cancellationToken) =>
        {
            var result = await job.RunAsync(held, stageDone: null, cancellationToken);
            if (result.TotalPairs > 0) LogMined(logger, result.TotalPairs, held);
            var topicRun = await topics.RunAsync(held, cancellationToken);
            if (topicRun.Assigned > 0) LogTopics(logger, topicRun.Assigned, topicRun.Topics);
        }, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mined {Count} new preference pairs in shards {Shards}")]
    private static partial void LogMined(ILogger logger, int count, MiningShards shards);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned {Turns} negative turns to topics ({Topics} topics fitted)")]
    private static partial void LogTopics(ILogger logger, int turns, int topics);
}
