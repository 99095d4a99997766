namespace Feedback.Analytics.Export;

/// <summary>
/// The parameters of an <see cref="ExportFilter"/> for the export readers' statements (<see cref="PairReader"/>,
/// <see cref="TurnLabelReader"/>): positions are (created_at, id), and <c>limit</c> is the rows of one page.
/// </summary>
internal static class ExportFilterParameters
{
    public static object Of(ExportFilter f, int limit) => new
    {
        project = f.Project,
        from = f.From,
        to = f.To,
        models = f.Models,
        model_versions = f.ModelVersions,
        sources = f.Sources,
        min_confidence = f.MinConfidence,
        min_predicted_positive = f.MinPredictedPositive,
        reviewed_only = f.ReviewedOnly ? (byte)1 : (byte)0,
        exclude_outliers = f.ExcludeOutlierUsers ? (byte)1 : (byte)0, // UInt8: the server driver writes a bool as "False"
        outlier_min_labels = (uint)OutlierUsers.MinLabels,
        outlier_heavy_factor = (uint)OutlierUsers.HeavyFactor,
        after_at = f.After.CreatedAt,
        after_id = f.After.Id,
        up_to_at = f.UpTo.CreatedAt,
        up_to_id = f.UpTo.Id,
        limit,
    };
}
