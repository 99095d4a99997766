namespace Feedback.Cli.ClickHouseHttp;

/// <summary>Settings of the ClickHouse HTTP interface over the embedded store (docs/clickhouse-http.md).</summary>
public sealed class ClickHouseHttpOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The one user's name, as in ClickHouse.</summary>
    public string User { get; set; } = "default";

    /// <summary>Required: the endpoint gives full SQL access to the store.</summary>
    public required string Password { get; set; }
}
