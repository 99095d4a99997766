namespace Feedback.Analytics.Export.Formats;

/// <summary>TRL's KTO "standard" unpaired shape as JSON Lines (<see cref="KtoLine"/>): the labels, not the pairs.</summary>
public sealed class KtoFormat : IExportFormat
{
    public const string Name = "kto";

    string IExportFormat.Name => Name;

    public string Extension => "jsonl";

    public string ContentType => "application/jsonl";

    public bool WritesLabels => true;

    public Task<int> WriteAsync(ExportRows rows, Stream output, IProgress<int>? progress, CancellationToken cancellationToken) =>
        JsonLines.WriteAsync(rows.Labels(), KtoLine.Of, output, progress, cancellationToken);
}
