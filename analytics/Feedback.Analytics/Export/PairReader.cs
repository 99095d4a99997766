using Feedback.Analytics.Model;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// Reads the pairs an <see cref="ExportFilter"/> selects, oldest first, a page at a time (keyset paging on
/// (created_at, pair_id)), so an export of any size holds one page in memory. The filter's conditions are the same
/// in every statement here and in <see cref="TurnLabelReader"/>'s (the table and its id aside): a change to one is a
/// change to all six.
/// </summary>
public sealed class PairReader(IClickHouse store)
{
    public const int PageSize = KeysetPages<PreferencePair>.PageSize;

    // The next page's rows, at most {limit} of them (as many as fit, KeysetPages).
    internal const string Page = """
        SELECT * FROM pairs FINAL
        WHERE project = {project:String}
          AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
          AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
          AND (empty({models:Array(String)}) OR has({models:Array(String)}, model))
          AND (empty({model_versions:Array(String)}) OR has({model_versions:Array(String)}, model_version))
          AND (empty({sources:Array(String)}) OR has({sources:Array(String)}, source))
          AND confidence >= {min_confidence:Float32}
          AND ({reviewed_only:UInt8} = 0 OR reviewed = 1)
          AND ({exclude_outliers:UInt8} = 0 OR user_id NOT IN
              (
                  -- the users OutlierUsers flags
                  SELECT user_id FROM turn_labels FINAL
                  WHERE project = {project:String} AND label != 0
                  GROUP BY user_id
                  HAVING (count() >= {outlier_min_labels:UInt32} AND countIf(label < 0) = count())
                      OR (count() >= 2 * {outlier_min_labels:UInt32} AND count() > {outlier_heavy_factor:UInt32} * (
                          SELECT median(n) FROM (SELECT count() AS n FROM turn_labels FINAL WHERE project = {project:String} AND label != 0 GROUP BY user_id)))
              ))
          AND (created_at, pair_id) > ({after_at:DateTime64(3, 'UTC')}, {after_id:UUID})
          AND (created_at, pair_id) <= ({up_to_at:DateTime64(3, 'UTC')}, {up_to_id:UUID})
        ORDER BY created_at, pair_id
        LIMIT {limit:UInt32}
        """;

    // The sizes of the next page's rows, without their texts crossing into .NET.
    internal const string Sizes = """
        SELECT byteSize(*) AS bytes FROM pairs FINAL
        WHERE project = {project:String}
          AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
          AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
          AND (empty({models:Array(String)}) OR has({models:Array(String)}, model))
          AND (empty({model_versions:Array(String)}) OR has({model_versions:Array(String)}, model_version))
          AND (empty({sources:Array(String)}) OR has({sources:Array(String)}, source))
          AND confidence >= {min_confidence:Float32}
          AND ({reviewed_only:UInt8} = 0 OR reviewed = 1)
          AND ({exclude_outliers:UInt8} = 0 OR user_id NOT IN
              (
                  -- the users OutlierUsers flags
                  SELECT user_id FROM turn_labels FINAL
                  WHERE project = {project:String} AND label != 0
                  GROUP BY user_id
                  HAVING (count() >= {outlier_min_labels:UInt32} AND countIf(label < 0) = count())
                      OR (count() >= 2 * {outlier_min_labels:UInt32} AND count() > {outlier_heavy_factor:UInt32} * (
                          SELECT median(n) FROM (SELECT count() AS n FROM turn_labels FINAL WHERE project = {project:String} AND label != 0 GROUP BY user_id)))
              ))
          AND (created_at, pair_id) > ({after_at:DateTime64(3, 'UTC')}, {after_id:UUID})
          AND (created_at, pair_id) <= ({up_to_at:DateTime64(3, 'UTC')}, {up_to_id:UUID})
        ORDER BY created_at, pair_id
        LIMIT {limit:UInt32}
        """;

    // The position of the last row the filter selects.
    internal const string Last = """
        SELECT created_at, pair_id AS id FROM pairs FINAL
        WHERE project = {project:String}
          AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
          AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
          AND (empty({models:Array(String)}) OR has({models:Array(String)}, model))
          AND (empty({model_versions:Array(String)}) OR has({model_versions:Array(String)}, model_version))
          AND (empty({sources:Array(String)}) OR has({sources:Array(String)}, source))
          AND confidence >= {min_confidence:Float32}
          AND ({reviewed_only:UInt8} = 0 OR reviewed = 1)
          AND ({exclude_outliers:UInt8} = 0 OR user_id NOT IN
              (
                  -- the users OutlierUsers flags
                  SELECT user_id FROM turn_labels FINAL
                  WHERE project = {project:String} AND label != 0
                  GROUP BY user_id
                  HAVING (count() >= {outlier_min_labels:UInt32} AND countIf(label < 0) = count())
                      OR (count() >= 2 * {outlier_min_labels:UInt32} AND count() > {outlier_heavy_factor:UInt32} * (
                          SELECT median(n) FROM (SELECT count() AS n FROM turn_labels FINAL WHERE project = {project:String} AND label != 0 GROUP BY user_id)))
              ))
          AND (created_at, pair_id) > ({after_at:DateTime64(3, 'UTC')}, {after_id:UUID})
          AND (created_at, pair_id) <= ({up_to_at:DateTime64(3, 'UTC')}, {up_to_id:UUID})
        ORDER BY created_at DESC, pair_id DESC
        LIMIT 1
        """;

    private readonly KeysetPages<PreferencePair> pairs = new(store, Page, Sizes, Last, p => new ExportPosition(p.CreatedAt, p.PairId));

    public IAsyncEnumerable<PreferencePair> ReadAsync(ExportFilter filter, CancellationToken cancellationToken = default) =>
        pairs.ReadAsync(filter, cancellationToken);

    /// <summary>The position of the last pair the filter selects, or null when it selects none.</summary>
    public Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default) =>
        pairs.LastAsync(filter, cancellationToken);
}
