using Feedback.Analytics.Model;
using Parquet;
using Parquet.Serialization;

namespace Feedback.Analytics.Export.Formats;

/// <summary>The pairs as a Parquet file (<see cref="ParquetPairRow"/>), written in row groups.</summary>
public sealed class ParquetFormat : IExportFormat
{
    public const string Name = "parquet";

    private const int RowGroupSize = 10_000;

    string IExportFormat.Name => Name;

    public string Extension => "parquet";

    public string ContentType => "application/vnd.apache.parquet";

    public bool WritesLabels => false;

    public Task<int> WriteAsync(ExportRows rows, Stream output, IProgress<int>? progress, CancellationToken cancellationToken) =>
        WriteAsync(rows.Pairs(), output, progress, cancellationToken);

    private static async Task<int> WriteAsync(
        IAsyncEnumerable<PreferencePair> rows, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        // Parquet appends row groups by rewriting the footer, which needs a seekable file: an HTTP response
        // gets the file once it is complete.
        if (!output.CanSeek || !output.CanRead)
        {
            var temp = Path.GetTempFileName();
            await using var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            var written = await WriteAsync(rows, file, progress, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            await file.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }

        var count = 0;
        var group = new List<ParquetPairRow>();
        var first = true;
        async Task FlushGroupAsync()
        {
            await ParquetSerializer.SerializeAsync(group, output, new ParquetOptions { Append = !first }, cancellationToken: cancellationToken).ConfigureAwait(false);
            first = false;
            group.Clear();
            progress?.Report(count);
        }
        await foreach (var pair in rows.ConfigureAwait(false))
        {
            group.Add(ParquetPairRow.Of(pair));
            if (++count % RowGroupSize == 0) await FlushGroupAsync().ConfigureAwait(false);
        }
        if (group.Count > 0 || first) await FlushGroupAsync().ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }
}
