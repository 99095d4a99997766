using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// Reads the pairs an <see cref="ExportFilter"/> selects, oldest first, a page at a time (keyset paging on
/// (created_at, pair_id)), so an export of any size holds one page in memory.
/// </summary>
public sealed class PairReader(IClickHouse store)
{
    public const int PageSize = 1000;

    private static readonly string Where = FilterSql.Where("pair_id");

    private static readonly string Page = "SELECT * FROM pairs FINAL\n" + Where + "\nORDER BY created_at, pair_id\nLIMIT {limit:UInt32}";

    private static readonly string Last = "SELECT created_at, pair_id AS id FROM pairs FINAL\n" + Where + "\nORDER BY created_at DESC, pair_id DESC\nLIMIT 1";

    public async IAsyncEnumerable<PreferencePair> ReadAsync(
        ExportFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = filter.After;
        while (true)
        {
            var page = await store.QueryAsync<PreferencePair>(Page, FilterSql.Parameters(filter with { After = after }, PageSize), cancellationToken).ConfigureAwait(false);
            foreach (var pair in page) yield return pair;
            if (page.Count < PageSize) yield break;
            after = new ExportPosition(page[^1].CreatedAt, page[^1].PairId);
        }
    }

    /// <summary>The position of the last pair the filter selects, or null when it selects none.</summary>
    public async Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync<FilterSql.PositionRow>(Last, FilterSql.Parameters(filter, 1), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : new ExportPosition(rows[0].CreatedAt, rows[0].Id);
    }
}
