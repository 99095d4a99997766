namespace Feedback.Ingest.Kafka;

/// <summary>
/// What <see cref="KafkaEventSink"/> needs of the distributed mode's Kafka settings. The host fills it from its
/// configuration (section <c>Feedback:Kafka</c>, which the loader reads too), so ingest needs no store code.
/// </summary>
public sealed record KafkaSinkOptions
{
    /// <summary>Comma-separated host:port list.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>Topic of accepted events, keyed by project and conversation.</summary>
    public required string Topic { get; init; }

    /// <summary>How long ingest waits for the broker to acknowledge a batch before answering 503.</summary>
    public required TimeSpan ProduceTimeout { get; init; }

    /// <summary>Events waiting for acknowledgement at most; beyond it ingest answers 503 (bounded memory).</summary>
    public required int MaxPendingEvents { get; init; }

    /// <summary>Largest event message (serialised event JSON); a bigger event is rejected with a reason.</summary>
    public required int MaxMessageBytes { get; init; }

    /// <summary>Room for a message's key, headers and Kafka's framing above <see cref="MaxMessageBytes"/>.</summary>
    public required int MessageOverheadBytes { get; init; }
}
