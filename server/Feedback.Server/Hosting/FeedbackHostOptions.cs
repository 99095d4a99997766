using Feedback.Server.ClickHouseHttp;

namespace Feedback.Server.Hosting;

/// <summary>
/// What one Feedback process does. The embedded mode (<c>serve</c>) does all of it over the embedded store;
/// the distributed mode splits it into <c>ingest</c> (capture API → Kafka) and <c>worker</c> (Kafka → store,
/// miner). Kafka settings come from configuration (section <c>Feedback:Kafka</c>).
/// </summary>
public sealed class FeedbackHostOptions
{
    public const int DefaultPort = 8400;

    public static string DefaultDataDirectory =>
        Environment.GetEnvironmentVariable("FEEDBACK_DATA_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "feedback");

    /// <summary>The embedded store's directory; null in the distributed mode (the store is a server).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>HTTP port on 127.0.0.1 (capture API and /health); 0 picks a free one.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Address to listen on. The embedded mode stays on loopback; containers listen on all interfaces.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Serve the capture API.</summary>
    public bool Capture { get; set; } = true;

    /// <summary>Run the Kafka → store loader.</summary>
    public bool Load { get; set; }

    /// <summary>How often the miner runs; zero turns it off.</summary>
    public TimeSpan MineEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest run of one read-API query (trends, comparisons, conversations, topics). The embedded engine runs
    /// one statement at a time, so this bounds how long a read can keep a batch waiting; below the SDK's 10 s timeout.
    /// </summary>
    public TimeSpan ReadQueryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Services added in code after Feedback's own (later registrations win), for what is configured in code only, e.g.
    /// <c>ConfigureServices = s => s.UseChatClientLabeler(chatClient)</c> (docs/mining.md, "LLM labeler (optional)")
    /// or <c>UseChatClientTopicLabeler</c>. Null (the default) adds nothing.
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>The ClickHouse HTTP interface over the embedded store; null (the default) leaves it off.</summary>
    public ClickHouseHttpOptions? ClickHouseHttp { get; set; }
}
