using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>The query string of an export (<c>GET /v1/export</c>).</summary>
public sealed class ExportQuery
{
    [FromQuery(Name = "format")] public string Format { get; set; } = DpoFormat.Name;
    [FromQuery(Name = "from")] public DateTimeOffset? From { get; set; }
    [FromQuery(Name = "to")] public DateTimeOffset? To { get; set; }
    [FromQuery(Name = "model")] public string[] Models { get; set; } = [];
    [FromQuery(Name = "model_version")] public string[] ModelVersions { get; set; } = [];
    [FromQuery(Name = "source")] public string[] Sources { get; set; } = [];
    [FromQuery(Name = "min_confidence")] public float MinConfidence { get; set; }
    [FromQuery(Name = "watermark")] public string? Watermark { get; set; }
    [FromQuery(Name = "reviewed_only")] public bool ReviewedOnly { get; set; }

    // Noise and bias controls (docs/export.md).
    [FromQuery(Name = "min_predicted_positive")] public float? MinPredictedPositive { get; set; }
    [FromQuery(Name = "max_per_user")] public int MaxPerUser { get; set; } = ExportFilter.DefaultMaxPerUser;
    [FromQuery(Name = "max_per_model_version")] public int MaxPerModelVersion { get; set; }
    [FromQuery(Name = "dedupe")] public bool Deduplicate { get; set; }
    [FromQuery(Name = "length_balanced")] public bool LengthBalanced { get; set; }
    [FromQuery(Name = "exclude_outlier_users")] public bool ExcludeOutlierUsers { get; set; }

    public ExportFilter ToFilter(string project) => new()
    {
        Project = project,
        From = From,
        To = To,
        Models = Models,
        ModelVersions = ModelVersions,
        Sources = Sources,
        MinConfidence = MinConfidence,
        ReviewedOnly = ReviewedOnly,
        MinPredictedPositive = MinPredictedPositive,
        MaxPerUser = MaxPerUser,
        MaxPerModelVersion = MaxPerModelVersion,
        Deduplicate = Deduplicate,
        LengthBalanced = LengthBalanced,
        ExcludeOutlierUsers = ExcludeOutlierUsers,
    };

    /// <summary>Why the export cannot run as asked (null: it can).</summary>
    public string? Refusal(ExportFormats formats) => formats.Refusal(Format, ToFilter(""));
}
