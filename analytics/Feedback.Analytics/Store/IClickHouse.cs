namespace Feedback.Analytics.Store;

/// <summary>
/// The one door to ClickHouse. SQL is ClickHouse SQL with <c>{name:Type}</c> parameters, so the same text
/// runs on the embedded engine and on a ClickHouse server. Rows map to types by snake_case column names.
/// </summary>
public interface IClickHouse
{
    /// <summary>Runs a statement that returns no rows (DDL, INSERT ... SELECT).</summary>
    Task ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a query and maps each row to <typeparamref name="T"/>.</summary>
    Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Inserts rows (serialised with the event JSON conventions) into a table.</summary>
    Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts rows that are already JSON objects in the event JSON conventions, one object each, as the engine's
    /// JSONEachRow: the bytes go to the engine as they are, nothing is parsed or serialised again here.
    /// </summary>
    Task InsertJsonRowsAsync(string table, IReadOnlyCollection<ReadOnlyMemory<byte>> rows, CancellationToken cancellationToken = default);
}
