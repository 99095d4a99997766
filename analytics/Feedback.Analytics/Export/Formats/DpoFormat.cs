namespace Feedback.Analytics.Export.Formats;

/// <summary>TRL's DPO "standard" shape as JSON Lines (<see cref="DpoLine"/>): the default format.</summary>
public sealed class DpoFormat : IExportFormat
{
    public const string Name = "dpo";

    string IExportFormat.Name => Name;

    public string Extension => "jsonl";

    public string ContentType => "application/jsonl";

    public bool WritesLabels => false;

    public Task<int> WriteAsync(ExportRows rows, Stream output, IProgress<int>? progress, CancellationToken cancellationToken) =>
        JsonLines.WriteAsync(rows.Pairs(), DpoLine.Of, output, progress, cancellationToken);
}
