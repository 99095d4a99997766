using Feedback.Analytics.Export;

namespace Feedback.Server.ReadApi;

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
