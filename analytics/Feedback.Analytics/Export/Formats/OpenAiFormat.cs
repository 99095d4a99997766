namespace Feedback.Analytics.Export.Formats;

/// <summary>OpenAI's preference fine-tuning file as JSON Lines (<see cref="OpenAiLine"/>).</summary>
public sealed class OpenAiFormat : IExportFormat
{
    public const string Name = "openai";

    string IExportFormat.Name => Name;

    public string Extension => "jsonl";

    public string ContentType => "application/jsonl";

    public bool WritesLabels => false;

    public Task<int> WriteAsync(ExportRows rows, Stream output, IProgress<int>? progress, CancellationToken cancellationToken) =>
        JsonLines.WriteAsync(rows.Pairs(), OpenAiLine.Of, output, progress, cancellationToken);
}
