using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// The rows of an exported table (pairs, turn labels) that an <see cref="ExportFilter"/> selects, oldest first
/// by (created_at, id), a page at a time (keyset paging), so an export of any size holds one page in memory.
/// </summary>
internal sealed class KeysetPages<TRow>(IClickHouse store, string table, string idColumn, Func<TRow, ExportPosition> position, string extraWhere = "")
{
    public const int PageSize = 1000;

    private readonly string page = $"SELECT * FROM {table} FINAL\n{FilterSql.Where(idColumn)}{extraWhere}\nORDER BY created_at, {idColumn}\nLIMIT {{limit:UInt32}}";

    private readonly string last = $"SELECT created_at, {idColumn} AS id FROM {table} FINAL\n{FilterSql.Where(idColumn)}{extraWhere}\nORDER BY created_at DESC, {idColumn} DESC\nLIMIT 1";

    public async IAsyncEnumerable<TRow> ReadAsync(
        ExportFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = filter.After;
        while (true)
        {
            var rows = await store.QueryAsync<TRow>(page, FilterSql.Parameters(filter with { After = after }, PageSize), cancellationToken).ConfigureAwait(false);
            foreach (var row in rows) yield return row;
            if (rows.Count < PageSize) yield break;
            after = position(rows[^1]);
        }
    }

    /// <summary>The position of the last row the filter selects, or null when it selects none.</summary>
    public async Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync<FilterSql.PositionRow>(last, FilterSql.Parameters(filter, 1), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : new ExportPosition(rows[0].CreatedAt, rows[0].Id);
    }
}
