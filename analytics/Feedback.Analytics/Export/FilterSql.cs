namespace Feedback.Analytics.Export;

/// <summary>
/// The WHERE clause of an <see cref="ExportFilter"/> and its parameters, shared by the pair and label readers
/// (plain ClickHouse SQL: runs on the embedded engine and on a server alike). Positions are (created_at, id).
/// </summary>
internal static class FilterSql
{
    public static string Where(string idColumn) => $$"""
        WHERE project = {project:String}
          AND ({from:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at >= {from:Nullable(DateTime64(3, 'UTC'))})
          AND ({to:Nullable(DateTime64(3, 'UTC'))} IS NULL OR created_at < {to:Nullable(DateTime64(3, 'UTC'))})
          AND (empty({models:Array(String)}) OR has({models:Array(String)}, model))
          AND (empty({model_versions:Array(String)}) OR has({model_versions:Array(String)}, model_version))
          AND (empty({sources:Array(String)}) OR has({sources:Array(String)}, source))
          AND confidence >= {min_confidence:Float32}
          AND ({exclude_outliers:UInt8} = 0 OR user_id NOT IN (SELECT user_id FROM ({{OutlierUsers.Flagged}})))
          AND (created_at, {{idColumn}}) > ({after_at:DateTime64(3, 'UTC')}, {after_id:UUID})
          AND (created_at, {{idColumn}}) <= ({up_to_at:DateTime64(3, 'UTC')}, {up_to_id:UUID})
        """;

    public static object Parameters(ExportFilter f, int limit) => new
    {
        project = f.Project,
        from = f.From,
        to = f.To,
        models = f.Models,
        model_versions = f.ModelVersions,
        sources = f.Sources,
        min_confidence = f.MinConfidence,
        min_predicted_positive = f.MinPredictedPositive,
        exclude_outliers = f.ExcludeOutlierUsers ? (byte)1 : (byte)0, // UInt8: the server driver writes a bool as "False"
        after_at = f.After.CreatedAt,
        after_id = f.After.Id,
        up_to_at = f.UpTo.CreatedAt,
        up_to_id = f.UpTo.Id,
        limit,
    };

    public sealed record PositionRow(DateTimeOffset CreatedAt, Guid Id);
}
