namespace Feedback.Server.ClickHouseHttp;

/// <summary>Settings of the ClickHouse HTTP interface over the embedded store (docs/clickhouse-http.md).</summary>
public sealed class ClickHouseHttpOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The one user's name, as in ClickHouse.</summary>
    public string User { get; set; } = "default";

    /// <summary>Required: the endpoint gives SQL access to the store.</summary>
    public required string Password { get; set; }

    /// <summary>Whether POST statements may write (INSERT, CREATE, ALTER, …). Off: every statement must only read.</summary>
    public bool AllowWrites { get; set; }

    /// <summary>
    /// The engine stops a statement after this long: it holds the engine's one lock, ingest included, meanwhile,
    /// so the default stays below the SDK's 10 s request timeout.
    /// </summary>
    public TimeSpan MaxExecutionTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest result (uncompressed, as the engine counts it); the whole result is held in memory before it is sent.</summary>
    public long MaxResultBytes { get; set; } = 256L * 1024 * 1024;
}
