namespace Feedback.Analytics.Kafka;

/// <summary>The distributed mode's Kafka settings (configuration section <c>Feedback:Kafka</c>; docs/distributed.md).</summary>
public sealed record KafkaOptions
{
    public const string Section = "Feedback:Kafka";

    /// <summary>Comma-separated host:port list. Empty: Kafka is off (embedded mode).</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>Topic of accepted events, keyed by project and conversation.</summary>
    public string Topic { get; set; } = "feedback.events";

    /// <summary>Where the loader puts messages that can never be inserted, with the reason in a header.</summary>
    public string DeadLetterTopic { get; set; } = "feedback.events.dead-letter";

    /// <summary>Consumer group of the loaders; run several loaders in one group to share partitions.</summary>
    public string ConsumerGroup { get; set; } = "feedback-loader";

    /// <summary>How long ingest waits for the broker to acknowledge a batch before answering 503.</summary>
    public TimeSpan ProduceTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Events waiting for acknowledgement at most; beyond it ingest answers 503 (bounded memory).</summary>
    public int MaxPendingEvents { get; set; } = 20_000;

    /// <summary>
    /// Largest event message (serialised event JSON). Above ingest's largest body (5 MiB), so every event ingest
    /// accepts fits; an event over it is rejected at ingest with a reason. Producer, loader and the broker's
    /// <c>message.max.bytes</c> (docker-compose.yml) are set from it or to it.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Room for a message's key, headers and Kafka's framing above <see cref="MaxMessageBytes"/>.</summary>
    public const int MessageOverheadBytes = 64 * 1024;

    /// <summary>Rows per insert the loader aims for.</summary>
    public int LoaderBatchSize { get; set; } = 5_000;

    /// <summary>How long the loader waits to fill a batch before inserting what it has.</summary>
    public TimeSpan LoaderBatchWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the group waits for a silent loader (a crashed one) before giving its partitions to another.</summary>
    public TimeSpan LoaderSessionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// The miners' control topic: no messages, only partitions, one per shard of projects. Workers join
    /// <see cref="MiningGroup"/> on it and each mines the shards whose partitions Kafka assigns it (docs/scaling.md).
    /// </summary>
    public string MiningTopic { get; set; } = "feedback.mining-shards";

    /// <summary>Partitions the first worker creates <see cref="MiningTopic"/> with; afterwards the topic's own count is the shard count.</summary>
    public int MiningShards { get; set; } = 16;

    /// <summary>Consumer group of the miners on <see cref="MiningTopic"/>.</summary>
    public string MiningGroup { get; set; } = "feedback-miners";

    /// <summary>How long the group waits for a silent (crashed) miner before giving its shards to another.</summary>
    public TimeSpan MinerSessionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// Kafka static membership (<c>group.instance.id</c>) for this worker's miner, unique per worker; empty (the
    /// default) for none. A static member does not leave the group when it stops, so a worker restarted within
    /// <see cref="MinerSessionTimeout"/> keeps its shards without a rebalance; one that stays away loses them then.
    /// </summary>
    public string MinerInstanceId { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(BootstrapServers);
}
