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

    // Plain ClickHouse SQL (no chDB-only functions): runs on the embedded engine and on a server alike.
    private const string Where = """
        WHERE project = {project:String}
          AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
          AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
          AND (empty({models:Array(String)}) OR has({models:Array(String)}, model))
          AND (empty({model_versions:Array(String)}) OR has({model_versions:Array(String)}, model_version))
          AND (empty({sources:Array(String)}) OR has({sources:Array(String)}, source))
          AND confidence >= {min_confidence:Float32}
          AND (created_at, pair_id) > ({after_at:DateTime64(3, 'UTC')}, {after_id:UUID})
          AND (created_at, pair_id) <= ({up_to_at:DateTime64(3, 'UTC')}, {up_to_id:UUID})
        """;

    private const string Page = "SELECT * FROM pairs FINAL\n" + Where + "\nORDER BY created_at, pair_id\nLIMIT {limit:UInt32}";

    private const string Last = "SELECT created_at, pair_id AS id FROM pairs FINAL\n" + Where + "\nORDER BY created_at DESC, pair_id DESC\nLIMIT 1";

    public async IAsyncEnumerable<PreferencePair> ReadAsync(
        ExportFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = filter.After;
        while (true)
        {
            var page = await store.QueryAsync<PreferencePair>(Page, Parameters(filter with { After = after }, PageSize), cancellationToken).ConfigureAwait(false);
            foreach (var pair in page) yield return pair;
            if (page.Count < PageSize) yield break;
            after = new ExportPosition(page[^1].CreatedAt, page[^1].PairId);
        }
    }

    /// <summary>The position of the last pair the filter selects, or null when it selects none.</summary>
    public async Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync<PositionRow>(Last, Parameters(filter, 1), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : new ExportPosition(rows[0].CreatedAt, rows[0].Id);
    }

    private static object Parameters(ExportFilter f, int limit) => new
    {
        project = f.Project,
        from = f.From,
        to = f.To,
        models = f.Models,
        model_versions = f.ModelVersions,
        sources = f.Sources,
        min_confidence = f.MinConfidence,
        after_at = f.After.CreatedAt,
        after_id = f.After.Id,
        up_to_at = f.UpTo.CreatedAt,
        up_to_id = f.UpTo.Id,
        limit,
    };

    private sealed record PositionRow(DateTimeOffset CreatedAt, Guid Id);
}
