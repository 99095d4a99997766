using System.Runtime.CompilerServices;
using System.Text.Json;
using Confluent.Kafka;
using Feedback.Events;
using Microsoft.Extensions.Logging;

namespace Feedback.Ingest.Kafka;

/// <summary>
/// The distributed mode's sink: publishes each accepted event to the events topic and returns only once the
/// broker acknowledged every one of them (idempotent producer, acks=all). Keyed by project and conversation,
/// so a conversation's events stay in one partition, in order. A batch that is not fully acknowledged within
/// <see cref="KafkaSinkOptions.ProduceTimeout"/>, or that does not fit in the bounded producer queue, fails as a
/// whole: the API answers 503 and the client resends (duplicates collapse on event_id in the store).
/// The host loads librdkafka (the analytics side's <c>KafkaNative</c>) before it builds one.
/// </summary>
public sealed partial class KafkaEventSink : IEventSink, IDisposable
{
    private readonly KafkaSinkOptions options;
    private readonly IProducer<string, byte[]> producer;
    private readonly ILogger<KafkaEventSink> logger;
    private readonly ConditionalWeakTable<FeedbackEvent, byte[]> serialised = [];
    private int disposed;

    public KafkaEventSink(KafkaSinkOptions options, ILogger<KafkaEventSink> logger)
    {
        this.options = options;
        this.logger = logger;
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            MessageTimeoutMs = (int)options.ProduceTimeout.TotalMilliseconds,
            QueueBufferingMaxMessages = options.MaxPendingEvents,
            // librdkafka's default (1,000,000) is below what ingest accepts; Refuse turns away what is still bigger.
            MessageMaxBytes = options.MaxMessageBytes + options.MessageOverheadBytes,
            ClientId = "feedback-ingest",
        };
        producer = new ProducerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, e) => LogBrokerError(logger, e.Code, e.Reason))
            .SetLogHandler((_, m) => { if (m.Level <= SyslogLevel.Warning) LogLibrdkafka(logger, m.Message); })
            .Build();
    }

    /// <summary>The producer's handle, to build admin clients (health checks) on the same connections.</summary>
    public Handle Handle => producer.Handle;

    public async Task WriteAsync(IReadOnlyCollection<FeedbackEvent> events, CancellationToken cancellationToken)
    {
        var deliveries = new List<Task<DeliveryResult<string, byte[]>>>(events.Count);
        foreach (var e in events)
        {
            var message = new Message<string, byte[]>
            {
                Key = $"{e.Project}/{e.ConversationId}",
                Value = serialised.TryGetValue(e, out var value) ? value : JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options),
            };
            // Throws at once when the bounded queue is full: that becomes a 503, never unbounded memory.
            deliveries.Add(producer.ProduceAsync(options.Topic, message, CancellationToken.None));
        }
        await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    /// <summary>An event whose message would be over <see cref="KafkaSinkOptions.MaxMessageBytes"/> can never be produced.</summary>
    public string? Refuse(FeedbackEvent e)
    {
        var value = JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options);
        if (value.Length > options.MaxMessageBytes)
            return $"the event is {value.Length} bytes as a Kafka message; the largest is {options.MaxMessageBytes}";
        serialised.AddOrUpdate(e, value); // WriteAsync sends these bytes rather than serialise the event twice
        return null;
    }

    /// <summary>Sends what is still queued; called on shutdown.</summary>
    public void Flush(TimeSpan timeout) => producer.Flush(timeout);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return; // registered under two service types
        producer.Flush(options.ProduceTimeout);
        producer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka: {Code}: {Reason}")]
    private static partial void LogBrokerError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "librdkafka: {Message}")]
    private static partial void LogLibrdkafka(ILogger logger, string message);
}
