using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Feedback.Ingest.Kafka;

/// <summary>Healthy when a broker answers a metadata request for the events topic.</summary>
public sealed class KafkaHealthCheck(KafkaEventSink sink, KafkaSinkOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var admin = new DependentAdminClientBuilder(sink.Handle).Build();
            var metadata = admin.GetMetadata(options.Topic, TimeSpan.FromSeconds(2));
            var topic = metadata.Topics.SingleOrDefault(t => t.Topic == options.Topic);
            return Task.FromResult(topic is { Error.IsError: false } && metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} brokers")
                : HealthCheckResult.Unhealthy($"topic {options.Topic} is not available"));
        }
        catch (KafkaException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Kafka unreachable: " + e.Error.Reason));
        }
    }
}
