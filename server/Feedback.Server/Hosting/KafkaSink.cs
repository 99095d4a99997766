using Feedback.Analytics.Kafka;
using Feedback.Ingest.Kafka;

namespace Feedback.Server.Hosting;

/// <summary>Builds ingest's Kafka sink from the distributed mode's Kafka settings (section <c>Feedback:Kafka</c>).</summary>
public static class KafkaSink
{
    public static KafkaSinkOptions Options(KafkaOptions kafka) => new()
    {
        BootstrapServers = kafka.BootstrapServers,
        Topic = kafka.Topic,
        ProduceTimeout = kafka.ProduceTimeout,
        MaxPendingEvents = kafka.MaxPendingEvents,
        MaxMessageBytes = kafka.MaxMessageBytes,
        MessageOverheadBytes = KafkaOptions.MessageOverheadBytes,
    };

    public static KafkaEventSink Create(IServiceProvider services)
    {
        KafkaNative.EnsureLoaded();
        return new KafkaEventSink(services.GetRequiredService<KafkaSinkOptions>(), services.GetRequiredService<ILogger<KafkaEventSink>>());
    }
}
