using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// Reads the pairs an <see cref="ExportFilter"/> selects, oldest first, a page at a time (keyset paging on
/// (created_at, pair_id)), so an export of any size holds one page in memory.
/// </summary>
public sealed class PairReader(IClickHouse store)
{
    public const int PageSize = KeysetPages<PreferencePair>.PageSize;

    private readonly KeysetPages<PreferencePair> pairs = new(store, "pairs", "pair_id", p => new ExportPosition(p.CreatedAt, p.PairId));

    public IAsyncEnumerable<PreferencePair> ReadAsync(ExportFilter filter, CancellationToken cancellationToken = default) =>
        pairs.ReadAsync(filter, cancellationToken);

    /// <summary>The position of the last pair the filter selects, or null when it selects none.</summary>
    public Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default) =>
        pairs.LastAsync(filter, cancellationToken);
}
