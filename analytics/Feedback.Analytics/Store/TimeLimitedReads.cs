using System.Globalization;

namespace Feedback.Analytics.Store;

/// <summary>
/// The store for the read API: every query runs with <c>max_execution_time</c>, so a request for years of data
/// cannot hold the embedded engine's one lock (and with it ingest) longer than the limit; over it the query
/// fails (TIMEOUT_EXCEEDED) instead. Statements and inserts pass through unchanged.
/// </summary>
public sealed class TimeLimitedReads(IClickHouse inner, TimeSpan limit) : IClickHouse
{
    private readonly string settings = string.Create(CultureInfo.InvariantCulture,
        $"\nSETTINGS max_execution_time = {Math.Max(1, (int)Math.Ceiling(limit.TotalSeconds))}, timeout_overflow_mode = 'throw'");

    public Task ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        inner.ExecuteAsync(sql, parameters, cancellationToken);

    // The read queries are the product's own SELECTs, none with a SETTINGS clause or a FORMAT of its own, so the
    // clause goes last (on a line of its own, out of any trailing comment).
    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        inner.QueryAsync<T>(sql.TrimEnd().TrimEnd(';') + settings, parameters, cancellationToken);

    public Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default) =>
        inner.InsertAsync(table, rows, cancellationToken);

    public Task InsertJsonRowsAsync(string table, IReadOnlyCollection<ReadOnlyMemory<byte>> rows, CancellationToken cancellationToken = default) =>
        inner.InsertJsonRowsAsync(table, rows, cancellationToken);
}
