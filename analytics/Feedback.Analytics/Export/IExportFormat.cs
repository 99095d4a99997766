namespace Feedback.Analytics.Export;

/// <summary>
/// One export format (docs/export.md). <see cref="PairExport"/> writes every format registered as
/// <c>IExportFormat</c> (<see cref="AnalyticsServiceCollectionExtensions.AddExportFormats"/>), picked by
/// <see cref="Name"/>; so a new format is its class and one registration.
/// </summary>
public interface IExportFormat
{
    /// <summary>What <c>--format</c> and <c>?format=</c> take.</summary>
    string Name { get; }

    /// <summary>The file name's extension, without the dot.</summary>
    string Extension { get; }

    /// <summary>The media type of a download.</summary>
    string ContentType { get; }

    /// <summary>True when it writes unpaired labels (one completion a row, as KTO), false when pairs.</summary>
    bool WritesLabels { get; }

    /// <summary>
    /// Writes the rows it takes from <paramref name="rows"/> (<see cref="ExportRows.Pairs"/> or
    /// <see cref="ExportRows.Labels"/>, as <see cref="WritesLabels"/> says) in export order; returns how many.
    /// <paramref name="progress"/> hears the running count.
    /// </summary>
    Task<int> WriteAsync(ExportRows rows, Stream output, IProgress<int>? progress, CancellationToken cancellationToken);
}
