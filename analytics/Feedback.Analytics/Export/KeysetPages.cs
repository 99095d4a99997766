using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// The rows of an exported table (pairs, turn labels) that an <see cref="ExportFilter"/> selects, oldest first
/// by (created_at, id), a page at a time (keyset paging), so an export of any size holds one page in memory.
/// The reader of each table gives its three statements, whole: <c>page</c> (the rows), <c>sizes</c>
/// (their sizes) and <c>last</c> (the last row's created_at and id), each with the filter's conditions
/// (<see cref="ExportFilterParameters"/>).
/// </summary>
internal sealed class KeysetPages<TRow>(IClickHouse store, string page, string sizes, string last, Func<TRow, ExportPosition> position)
{
    public const int PageSize = 1000;

    /// <summary>
    /// Most bytes of rows (as the engine counts them, <c>byteSize</c>) in one page: rows hold texts of up to
    /// 200,000 characters, so 1,000 of them could be gigabytes. A page holds at least one row, however large.
    /// </summary>
    public const long MaxPageBytes = 16 * 1024 * 1024;

    public async IAsyncEnumerable<TRow> ReadAsync(
        ExportFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = filter.After;
        while (true)
        {
            var next = await store.QueryAsync<SizeRow>(sizes, ExportFilterParameters.Of(filter with { After = after }, PageSize), cancellationToken).ConfigureAwait(false);
            var fit = RowsThatFit(next.Select(r => r.Bytes).ToList(), MaxPageBytes);
            if (fit == 0) yield break;
            var rows = await store.QueryAsync<TRow>(page, ExportFilterParameters.Of(filter with { After = after }, fit), cancellationToken).ConfigureAwait(false);
            foreach (var row in rows) yield return row;
            if (rows.Count < fit || (next.Count < PageSize && fit == next.Count)) yield break;
            after = position(rows[^1]);
        }
    }

    /// <summary>How many of the leading rows fit in <paramref name="maxBytes"/>; at least one when there is one, so paging always moves on.</summary>
    public static int RowsThatFit(IReadOnlyList<ulong> rowBytes, long maxBytes)
    {
        ulong total = 0;
        for (var i = 0; i < rowBytes.Count; i++)
        {
            total += rowBytes[i];
            if (total > (ulong)maxBytes) return Math.Max(i, 1);
        }
        return rowBytes.Count;
    }

    private sealed record SizeRow(ulong Bytes);

    private sealed record PositionRow(DateTimeOffset CreatedAt, Guid Id);

    /// <summary>The position of the last row the filter selects, or null when it selects none.</summary>
    public async Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync<PositionRow>(last, ExportFilterParameters.Of(filter, 1), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : new ExportPosition(rows[0].CreatedAt, rows[0].Id);
    }
}
