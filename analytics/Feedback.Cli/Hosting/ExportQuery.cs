using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Cli.Hosting;

/// <summary>The query string of an export (public <c>GET /v1/export</c> and the CLI's admin call alike).</summary>
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
        MinPredictedPositive = MinPredictedPositive,
        MaxPerUser = MaxPerUser,
        MaxPerModelVersion = MaxPerModelVersion,
        Deduplicate = Deduplicate,
        LengthBalanced = LengthBalanced,
        ExcludeOutlierUsers = ExcludeOutlierUsers,
    };

    /// <summary>Why the export cannot run as asked (null: it can).</summary>
    public string? Refusal(ExportFormats formats) => formats.Refusal(Format, ToFilter(""));

    /// <summary>The query string for these options (the CLI builds its admin call with it).</summary>
    public string ToQueryString()
    {
        var parts = new List<string> { "format=" + Uri.EscapeDataString(Format) };
        if (From is { } from) parts.Add("from=" + Uri.EscapeDataString(from.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        if (To is { } to) parts.Add("to=" + Uri.EscapeDataString(to.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        parts.AddRange(Models.Select(m => "model=" + Uri.EscapeDataString(m)));
        parts.AddRange(ModelVersions.Select(m => "model_version=" + Uri.EscapeDataString(m)));
        parts.AddRange(Sources.Select(s => "source=" + Uri.EscapeDataString(s)));
        if (MinConfidence != 0) parts.Add("min_confidence=" + MinConfidence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Watermark is not null) parts.Add("watermark=" + Uri.EscapeDataString(Watermark));
        if (MinPredictedPositive is { } p) parts.Add("min_predicted_positive=" + p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (MaxPerUser != ExportFilter.DefaultMaxPerUser) parts.Add("max_per_user=" + MaxPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (MaxPerModelVersion != 0) parts.Add("max_per_model_version=" + MaxPerModelVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Deduplicate) parts.Add("dedupe=true");
        if (LengthBalanced) parts.Add("length_balanced=true");
        if (ExcludeOutlierUsers) parts.Add("exclude_outlier_users=true");
        return string.Join("&", parts);
    }
}

/// <summary>Runs an export into an HTTP response: headers first, then the rows as they are read.</summary>
public static class ExportResponse
{
    /// <summary>The position a watermarked export reached; send it back to advance the watermark.</summary>
    public const string NextHeader = "Feedback-Watermark-Next";

    public static async Task WriteAsync(
        HttpResponse response, PairExport export, ExportWatermarks watermarks, ExportQuery query, string project, CancellationToken cancellationToken)
    {
        var filter = query.ToFilter(project);
        if (query.Watermark is { } name)
        {
            (filter, var next) = await watermarks.PlanAsync(export, query.Format, filter, name, cancellationToken);
            if (next is not null) response.Headers[NextHeader] = next.ToString();
        }
        var format = export.Formats[query.Format];
        response.ContentType = format.ContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{project}-{query.Format}.{format.Extension}\"";
        await export.WriteAsync(query.Format, filter, response.Body, cancellationToken: cancellationToken);
    }
}
