using Feedback.Analytics.Model;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// Writes the rows an <see cref="ExportFilter"/> selects in one of the <see cref="Formats"/>, oldest first: pairs,
/// or unpaired labels for a format that <see cref="IExportFormat.WritesLabels"/>.
/// </summary>
public sealed class PairExport(IClickHouse store, ExportFormats? formats = null, IKtoRowSource? ktoRows = null)
{
    private readonly PairReader pairs = new(store);
    private readonly IKtoRowSource kto = ktoRows ?? new TurnLabelReader(store);

    /// <summary>The formats it writes: the registered ones, or the shipped ones when none are given.</summary>
    public ExportFormats Formats { get; } = formats ?? ExportFormats.Shipped;

    /// <summary>The position of the last row the export would write (where a watermark moves to), or null for none.</summary>
    public Task<ExportPosition?> LastAsync(string format, ExportFilter filter, CancellationToken cancellationToken = default) =>
        Formats.Find(format) is { WritesLabels: true } ? kto.LastAsync(filter, cancellationToken) : pairs.LastAsync(filter, cancellationToken);

    /// <summary>Writes the export; returns how many rows (lines) it wrote. <paramref name="progress"/> hears the running count.</summary>
    public Task<int> WriteAsync(
        string format, ExportFilter filter, Stream output, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        Refusal(format, filter) is { } refusal
            ? throw new ArgumentException(refusal, nameof(filter))
            : Formats[format].WriteAsync(new ExportRows(() => Pairs(filter, cancellationToken), () => Labels(filter, cancellationToken)), output, progress, cancellationToken);

    /// <summary>Why this format cannot take this filter (null: it can); a request gets it as a 400.</summary>
    public string? Refusal(string format, ExportFilter filter) => Formats.Refusal(format, filter);

    private IAsyncEnumerable<PreferencePair> Pairs(ExportFilter filter, CancellationToken cancellationToken) =>
        ExportControls.ApplyAsync(filter, () => pairs.ReadAsync(filter, cancellationToken), cancellationToken);

    private IAsyncEnumerable<KtoRow> Labels(ExportFilter filter, CancellationToken cancellationToken) =>
        ExportControls.Capped(filter, kto.ReadAsync(filter, cancellationToken), r => r.Meta.UserId, r => r.Meta.ModelVersion, ExportControls.DedupeKey);
}
