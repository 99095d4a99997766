using Feedback.Analytics.Model;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// Reads the turns with a clear label from <c>turn_labels</c> (one KTO row each), oldest first by
/// (created_at, label_id), a page at a time. The filters mean what they mean for pairs; <c>source</c> is the
/// label's source (reaction, edit, regenerate, copy, follow_up), and the conditions are those of
/// <see cref="PairReader"/>'s statements.
/// </summary>
public sealed class TurnLabelReader(IClickHouse store) : IKtoRowSource
{
    // The next page's rows, at most {limit} of them (as many as fit, KeysetPages).
    internal const string Page = """
        SELECT * FROM turn_labels FINAL
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
          AND (created_at, label_id) > ({after_at:DateTime64(3, 'UTC')}, {after_id:UUID})
          AND (created_at, label_id) <= ({up_to_at:DateTime64(3, 'UTC')}, {up_to_id:UUID})
          -- conflicting labels (0) are never exported; a desirable label can be held back by the reaction predictor
          AND label != 0
          AND (label < 0 OR turn_id NOT IN (SELECT turn_id FROM turn_predictions FINAL
              WHERE project = {project:String} AND p_positive < {min_predicted_positive:Nullable(Float32)}))
        ORDER BY created_at, label_id
        LIMIT {limit:UInt32}
        """;

    // The sizes of the next page's rows, without their texts crossing into .NET.
    internal const string Sizes = """
        SELECT byteSize(*) AS bytes FROM turn_labels FINAL
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
          AND (created_at, label_id) > ({after_at:DateTime64(3, 'UTC')}, {after_id:UUID})
          AND (created_at, label_id) <= ({up_to_at:DateTime64(3, 'UTC')}, {up_to_id:UUID})
          -- conflicting labels (0) are never exported; a desirable label can be held back by the reaction predictor
          AND label != 0
          AND (label < 0 OR turn_id NOT IN (SELECT turn_id FROM turn_predictions FINAL
              WHERE project = {project:String} AND p_positive < {min_predicted_positive:Nullable(Float32)}))
        ORDER BY created_at, label_id
        LIMIT {limit:UInt32}
        """;

    // The position of the last row the filter selects.
    internal const string Last = """
        SELECT created_at, label_id AS id FROM turn_labels FINAL
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
          AND (created_at, label_id) > ({after_at:DateTime64(3, 'UTC')}, {after_id:UUID})
          AND (created_at, label_id) <= ({up_to_at:DateTime64(3, 'UTC')}, {up_to_id:UUID})
          -- conflicting labels (0) are never exported; a desirable label can be held back by the reaction predictor
          AND label != 0
          AND (label < 0 OR turn_id NOT IN (SELECT turn_id FROM turn_predictions FINAL
              WHERE project = {project:String} AND p_positive < {min_predicted_positive:Nullable(Float32)}))
        ORDER BY created_at DESC, label_id DESC
        LIMIT 1
        """;

    private readonly KeysetPages<TurnLabel> labels = new(store, Page, Sizes, Last, l => new ExportPosition(l.CreatedAt, l.LabelId));

    public async IAsyncEnumerable<KtoRow> ReadAsync(
        ExportFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var label in labels.ReadAsync(filter, cancellationToken).ConfigureAwait(false))
            yield return new KtoRow(label.Prompt, label.Completion, label.Label > 0, LabelMeta.Of(label), new ExportPosition(label.CreatedAt, label.LabelId));
    }

    public Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default) =>
        labels.LastAsync(filter, cancellationToken);
}
