namespace Feedback.Analytics.Store;

/// <summary>
/// One statement as a ClickHouse client sends it: query text (possibly followed by inline INSERT data) as
/// bytes, the default output format, <c>{name:Type}</c> parameters, settings for this statement only, and the
/// database to run it in. Used by the ClickHouse HTTP endpoint.
/// </summary>
public sealed class RawQuery
{
    public required ReadOnlyMemory<byte> Sql { get; init; }

    /// <summary>
    /// The data of an INSERT whose <see cref="Sql"/> is <c>INSERT INTO table [(columns)] FORMAT name</c>, streamed
    /// to the engine apart from the text, as ClickHouse streams a request body; null: any data is inline in <see cref="Sql"/>.
    /// </summary>
    public ReadOnlyMemory<byte>? InsertData { get; init; }

    /// <summary>The output format when the query has no FORMAT clause.</summary>
    public string Format { get; init; } = "TabSeparated";

    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>ClickHouse settings applied to this statement only.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>The current database for this statement; null keeps <c>default</c>.</summary>
    public string? Database { get; init; }

    /// <summary>Refuse anything but reading statements (ClickHouse's readonly mode, as for HTTP GET).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The engine stops the statement after this long (<c>max_execution_time</c>); null: no limit.</summary>
    public TimeSpan? MaxExecutionTime { get; init; }

    /// <summary>The engine refuses a result larger than this (<c>max_result_bytes</c>, uncompressed); null: no limit.</summary>
    public long? MaxResultBytes { get; init; }
}
