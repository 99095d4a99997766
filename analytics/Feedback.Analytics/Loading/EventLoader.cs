using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Feedback.Analytics.Events;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Store;
using Feedback.Events;
using Microsoft.Extensions.Logging;

namespace Feedback.Analytics.Loading;

/// <summary>
/// Kafka → ClickHouse. Reads the events topic in a consumer group, inserts each batch, and commits offsets
/// only after the insert (and any dead-lettering) succeeded. Messages in the form ingest writes are inserted as
/// they are (<see cref="EventMessage"/>, JSONEachRow); any other message is read as an event and written again. A crash between insert and commit redelivers
/// the batch; the <c>events</c> table collapses re-delivered event ids, and reads use FINAL, so no query
/// ever sees a duplicate. A message that can never be inserted goes to the dead-letter topic with the
/// reason in its headers; a store that is merely unavailable is retried, never dead-lettered.
/// </summary>
public sealed partial class EventLoader(KafkaOptions options, IClickHouse store, LoaderMetrics metrics, ILogger<EventLoader> logger)
{
    public const string ReasonHeader = "feedback-dead-letter-reason";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Runs until cancelled. Blocking Kafka calls run on a thread of their own.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task Run(CancellationToken cancellationToken)
    {
        KafkaNative.EnsureLoaded();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.ConsumerGroup,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = (int)options.LoaderSessionTimeout.TotalMilliseconds,
            ClientId = "feedback-loader",
            // Room for the largest event message ingest may produce (librdkafka's defaults assume 1 MB).
            MaxPartitionFetchBytes = options.MaxMessageBytes + KafkaOptions.MessageOverheadBytes,
            FetchMaxBytes = options.MaxMessageBytes + KafkaOptions.MessageOverheadBytes,
            MessageMaxBytes = options.MaxMessageBytes + KafkaOptions.MessageOverheadBytes,
            ReceiveMessageMaxBytes = (2 * (options.MaxMessageBytes + KafkaOptions.MessageOverheadBytes)) + 512,
        }).SetErrorHandler((_, e) => LogKafkaError(logger, e.Reason)).Build();
        using var deadLetters = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            ClientId = "feedback-loader-dead-letters",
            MessageMaxBytes = options.MaxMessageBytes + KafkaOptions.MessageOverheadBytes,
        }).Build();

        consumer.Subscribe(options.Topic);
        // Two stages: the next batch is read from Kafka while the last one is inserted (the insert runs on the
        // thread pool, the consumer on this thread), so neither waits for the other on a machine with cores to
        // spare. Offsets are committed in order, each batch's only after its insert.
        (List<ConsumeResult<byte[]?, byte[]?>> Batch, Task Load)? inserting = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var batch = Poll(consumer, cancellationToken);
                if (inserting is { } last)
                {
                    await last.Load.ConfigureAwait(false);
                    Commit(consumer, last.Batch);
                    inserting = null;
                }
                if (batch.Count > 0) inserting = (batch, LoadUntilDoneAsync(batch, deadLetters, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what was not committed is redelivered to the next loader.
        }
        finally
        {
            if (inserting is { } last) await IgnoreCancellation(last.Load).ConfigureAwait(false); // never close the consumer under a running insert
            consumer.Close();
        }
    }

    private void Commit(IConsumer<byte[]?, byte[]?> consumer, List<ConsumeResult<byte[]?, byte[]?>> batch)
    {
        consumer.Commit(batch.GroupBy(m => m.TopicPartition)
            .Select(p => new TopicPartitionOffset(p.Key, p.Max(m => m.Offset.Value) + 1)));
        metrics.SetLag(Lag(consumer));
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private List<ConsumeResult<byte[]?, byte[]?>> Poll(IConsumer<byte[]?, byte[]?> consumer, CancellationToken cancellationToken)
    {
        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + options.LoaderBatchWait;
        while (batch.Count < options.LoaderBatchSize)
        {
            var wait = batch.Count == 0 ? options.LoaderBatchWait : deadline - DateTime.UtcNow;
            if (wait <= TimeSpan.Zero) break;
            cancellationToken.ThrowIfCancellationRequested();
            var message = consumer.Consume(wait);
            if (message is null)
            {
                if (batch.Count == 0) metrics.SetLag(Lag(consumer));
                if (batch.Count > 0) break;
                continue;
            }
            batch.Add(message);
        }
        return batch;
    }

    /// <summary>Inserts the batch and dead-letters what can never be inserted; retries store outages until it works.</summary>
    private async Task LoadUntilDoneAsync(List<ConsumeResult<byte[]?, byte[]?>> batch, IProducer<byte[]?, byte[]?> deadLetters, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await LoadAsync(batch, deadLetters, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRetry(logger, e, batch.Count, backoff);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task LoadAsync(List<ConsumeResult<byte[]?, byte[]?>> batch, IProducer<byte[]?, byte[]?> deadLetters, CancellationToken cancellationToken)
    {
        var rows = new List<(ReadOnlyMemory<byte> Json, DateTimeOffset Timestamp, ConsumeResult<byte[]?, byte[]?> Message)>(batch.Count);
        var poison = new List<(ConsumeResult<byte[]?, byte[]?> Message, string Reason)>();
        foreach (var message in batch)
        {
            // What ingest wrote goes to the engine as it is: reading it into objects and writing it again cost more
            // than the insert itself (docs/benchmarks.md).
            if (EventMessage.IsPlain(message.Message.Value, out var timestamp))
            {
                rows.Add((message.Message.Value!, timestamp, message));
                continue;
            }
            var (e, reason) = Parse(message.Message.Value);
            if (e is null) poison.Add((message, reason!));
            else rows.Add((JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options), e.Timestamp!.Value, message));
        }

        // Blocks of at most 100 month partitions (PartitionBlocks): one producer's spread of timestamps must not
        // make the whole batch uninsertable and stall every project behind it.
        foreach (var block in PartitionBlocks.Split(rows, r => r.Timestamp))
        {
            try
            {
                await store.InsertJsonRowsAsync("events", block.Select(r => r.Json).ToList(), cancellationToken).ConfigureAwait(false);
            }
            catch (ClickHouseException e) when (e.IsDataError)
            {
                // Some row is bad: insert one by one to keep the good ones and isolate the bad.
                foreach (var row in block)
                {
                    try
                    {
                        await store.InsertJsonRowsAsync("events", [row.Json], cancellationToken).ConfigureAwait(false);
                    }
                    catch (ClickHouseException single) when (single.IsDataError)
                    {
                        poison.Add((row.Message, "the store refused the event: " + single.Message));
                    }
                }
            }
        }

        if (poison.Count > 0)
        {
            await Task.WhenAll(poison.Select(p => deadLetters.ProduceAsync(options.DeadLetterTopic, new Message<byte[]?, byte[]?>
            {
                Key = p.Message.Message.Key,
                Value = p.Message.Message.Value,
                Headers = new Headers
                {
                    { ReasonHeader, Encoding.UTF8.GetBytes(p.Reason) },
                    { "feedback-source", Encoding.UTF8.GetBytes(p.Message.TopicPartitionOffset.ToString()) },
                },
            }, cancellationToken))).ConfigureAwait(false);
            foreach (var p in poison) LogDeadLettered(logger, p.Message.TopicPartitionOffset.ToString(), p.Reason);
            metrics.AddDeadLettered(poison.Count);
        }
        metrics.AddLoaded(batch.Count - poison.Count);
    }

    /// <summary>Reads one message as an event; the reason when it is not one.</summary>
    public static (FeedbackEvent? Event, string? Reason) Parse(byte[]? value)
    {
        if (value is null || value.Length == 0) return (null, "empty message");
        FeedbackEvent? e;
        try
        {
            e = JsonSerializer.Deserialize<FeedbackEvent>(value, FeedbackJson.Options);
        }
        catch (JsonException ex)
        {
            return (null, "not an event: " + ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return (null, "not an event: " + ex.Message); // a string that is not valid Unicode (invalid UTF-8, a lone surrogate)
        }
        if (e is null) return (null, "not an event: null");
        if (e.EventId is null || e.EventId == Guid.Empty) return (null, "event_id is missing");
        if (string.IsNullOrEmpty(e.Kind) || !EventKinds.All.Contains(e.Kind)) return (null, $"kind '{e.Kind}' is missing or unknown");
        if (string.IsNullOrEmpty(e.Project)) return (null, "project is missing");
        if (e.Timestamp is null) return (null, "timestamp is missing");
        // What ingest would have refused but another producer may send: rows the insert cannot even serialise
        // or the column cannot hold would otherwise fail the whole batch on every retry.
        if (e.Timestamp < StoreRange.MinTimestamp || e.Timestamp > StoreRange.MaxTimestamp) return (null, "timestamp is outside what the store holds");
        if (e.Rating is { } r && !double.IsFinite(r) || e.RatingScale is { } s && !double.IsFinite(s)) return (null, "rating or rating_scale is not a finite number");
        if (e.EvaluationScore is { } score && !double.IsFinite(score)) return (null, "evaluation_score is not a finite number");
        return (e, null);
    }

    private static long Lag(IConsumer<byte[]?, byte[]?> consumer)
    {
        long lag = 0;
        foreach (var partition in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            if (high.Value >= 0 && position.Value >= 0) lag += high.Value - position.Value;
        }
        return lag;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loader: Kafka: {Reason}")]
    private static partial void LogKafkaError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loader: could not load a batch of {Count}; retrying in {Backoff}")]
    private static partial void LogRetry(ILogger logger, Exception exception, int count, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loader: dead-lettered {Source}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string source, string reason);
}
