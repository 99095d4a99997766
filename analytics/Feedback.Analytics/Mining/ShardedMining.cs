using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Feedback.Analytics.Kafka;
using Microsoft.Extensions.Logging;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Shares the mining between the workers of the distributed mode through Kafka's consumer-group assignment, not a
/// lock of our own: each worker joins <see cref="KafkaOptions.MiningGroup"/> on <see cref="KafkaOptions.MiningTopic"/>,
/// whose partition i is shard i (the projects with <c>cityHash64(project) % partitions = i</c>), and mines only the
/// shards it holds. Nothing is ever produced to the topic; the group's assignment is all it is for.
/// <para>
/// Two workers never mine one shard at once: a run starts only with shards held at that moment, and when shards are
/// revoked (a worker joins or leaves) or lost (this worker's session timed out) the callback cancels a run that
/// covers any of them and waits for it to end before it returns, so before Kafka can give them to another worker
/// (the eager protocol: every member gives up its partitions before any gets new ones). A worker that stops leaves
/// the group at once; one that dies is dropped after <see cref="KafkaOptions.MinerSessionTimeout"/>.
/// </para>
/// </summary>
public sealed partial class ShardedMining(KafkaOptions options, ILogger<ShardedMining> logger)
{
    private readonly Lock gate = new();
    private MiningShards? held; // what the group gave this worker; null while it has nothing
    private Run? running; // the run in progress, if any

    /// <summary>The shards this worker holds now, or null.</summary>
    public MiningShards? Held
    {
        get
        {
            lock (gate) return held;
        }
    }

    /// <summary>
    /// Joins the group and calls <paramref name="mine"/> every <paramref name="every"/> with the shards held, until
    /// cancelled; then ends the run in progress and leaves the group, so its shards go to the others at once.
    /// </summary>
    public async Task RunAsync(TimeSpan every, Func<MiningShards, CancellationToken, Task> mine, CancellationToken cancellationToken)
    {
        var consumer = Task.Factory.StartNew(() => Consume(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            using var timer = new PeriodicTimer(every);
            // A consumer that failed holds nothing (Consume's finally), so mining stops with it.
            while (!consumer.IsCompleted && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                await MineOnceAsync(mine, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the consumer leaves the group once the run in progress has ended.
        }
        try
        {
            await consumer.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task MineOnceAsync(Func<MiningShards, CancellationToken, Task> mine, CancellationToken cancellationToken)
    {
        Run run;
        lock (gate)
        {
            // Taken and registered under the lock the revoke callback takes, so a run never starts with a revoked shard.
            if (held is not { } shards) return;
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            run = new Run(shards, cancel, Task.Run(() => mine(shards, cancel.Token), cancel.Token));
            running = run;
        }
        try
        {
            await run.Done.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Cancel.IsCancellationRequested)
        {
            if (!cancellationToken.IsCancellationRequested) LogRunStopped(logger, run.Shards);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRunFailed(logger, e); // retried next time
        }
        finally
        {
            lock (gate) running = null;
            run.Cancel.Dispose();
        }
    }

    private void Consume(CancellationToken cancellationToken)
    {
        try
        {
            Join(cancellationToken);
        }
        finally
        {
            lock (gate) held = null;
        }
    }

    private void Join(CancellationToken cancellationToken)
    {
        KafkaNative.EnsureLoaded();
        var count = ShardCount(cancellationToken);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.MiningGroup,
            ClientId = "feedback-miner",
            EnableAutoCommit = false, // nothing is consumed, so nothing is committed
            SessionTimeoutMs = (int)options.MinerSessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = (int)Math.Max(100, options.MinerSessionTimeout.TotalMilliseconds / 3),
            GroupInstanceId = string.IsNullOrEmpty(options.MinerInstanceId) ? null : options.MinerInstanceId,
        })
            .SetPartitionsAssignedHandler((_, partitions) => Assigned(count, partitions))
            .SetPartitionsRevokedHandler((_, partitions) => Revoked(partitions.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) => Revoked(partitions.Select(p => p.TopicPartition)))
            .SetErrorHandler((_, e) => LogKafkaError(logger, e.Reason))
            .Build();
        consumer.Subscribe(options.MiningTopic);
        try
        {
            // No message ever comes; polling is what serves the group's callbacks and keeps this member in it.
            while (!cancellationToken.IsCancellationRequested) consumer.Consume(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            consumer.Close(); // revokes (waiting for a run in progress) and leaves the group
        }
    }

    private void Assigned(uint count, List<TopicPartition> partitions)
    {
        // The eager protocol: the whole new assignment, after everything held before was revoked.
        MiningShards? now;
        lock (gate)
            held = now = partitions.Count == 0 ? null : new MiningShards(count, partitions.Select(p => (uint)p.Partition.Value));
        LogAssigned(logger, now);
    }

    private void Revoked(IEnumerable<TopicPartition> partitions)
    {
        var revoked = partitions.Select(p => (uint)p.Partition.Value).ToHashSet();
        Run? stopping = null;
        lock (gate)
        {
            if (held is { } shards)
            {
                var left = shards.Held.Where(s => !revoked.Contains(s)).ToList();
                held = left.Count == 0 ? null : new MiningShards(shards.Count, left);
            }
            if (running is { } run && run.Shards.Held.Any(revoked.Contains))
            {
                run.Cancel.Cancel();
                stopping = run;
            }
        }
        // Synchronously, on the consumer's thread: Kafka gives these shards to another worker only after this returns.
        if (stopping is not null)
        {
            try
            {
                stopping.Done.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Cancelled or failed: either way it has ended, which is all that matters here.
            }
        }
        LogRevoked(logger, revoked);
    }

    /// <summary>The control topic's partitions: created with <see cref="KafkaOptions.MiningShards"/> when missing.</summary>
    private uint ShardCount(CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = options.BootstrapServers }).Build();
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                var topic = admin.GetMetadata(options.MiningTopic, TimeSpan.FromSeconds(10)).Topics.SingleOrDefault();
                if (topic is { Error.IsError: false, Partitions.Count: > 0 }) return (uint)topic.Partitions.Count;
                // Missing: the first worker creates it. Workers starting together may race; the loser sees TopicAlreadyExists.
                admin.CreateTopicsAsync(
                    [new TopicSpecification { Name = options.MiningTopic, NumPartitions = options.MiningShards, ReplicationFactor = -1 }],
                    new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10) }).Wait(cancellationToken);
                continue;
            }
            catch (AggregateException e) when (e.InnerException is CreateTopicsException c && c.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
            {
                continue;
            }
            catch (Exception e) when (e is KafkaException || e.InnerException is KafkaException)
            {
                LogNoTopic(logger, e, options.MiningTopic, backoff); // no broker yet, or it cannot create topics
            }
            Task.Delay(backoff, cancellationToken).Wait(cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    private sealed record Run(MiningShards Shards, CancellationTokenSource Cancel, Task Done);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mining shards {Shards}")]
    private static partial void LogAssigned(ILogger logger, MiningShards? shards);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gave up mining shards {Shards}")]
    private static partial void LogRevoked(ILogger logger, IReadOnlyCollection<uint> shards);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mining run over shards {Shards} stopped: shards revoked")]
    private static partial void LogRunStopped(ILogger logger, MiningShards shards);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mining run failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka error in the miners' group: {Reason}")]
    private static partial void LogKafkaError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} is not there and could not be created; trying again in {Wait}")]
    private static partial void LogNoTopic(ILogger logger, Exception exception, string topic, TimeSpan wait);
}
