using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Backends;

/// <summary><c>GET /v1/export</c> into the file, then <c>POST /v1/export/watermarks/{name}</c> once it is in place.</summary>
public sealed class RemoteExporter(HttpClient http) : IExporter
{
    public async Task<int> ExportAsync(string project, ExportQuery query, string path, bool showProgress, CancellationToken cancellationToken)
    {
        ExportPosition? next = null;
        await ExportFile.WriteAsync(path, async file =>
        {
            using var response = await http.GetAsync($"v1/export?{QueryString.Of(project, query)}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await RemoteCall.EnsureSuccessAsync(response, cancellationToken);
            if (response.Headers.TryGetValues(ExportResponse.NextHeader, out var values)) next = ExportPosition.Parse(values.First());
            await CopyAsync(await response.Content.ReadAsStreamAsync(cancellationToken), file, showProgress ? new ConsoleProgress("KB") : null, cancellationToken);
            return true;
        }, async () =>
        {
            if (query.Watermark is { } name && next is not null)
            {
                using var advanced = await http.PostAsync(
                    $"v1/export/watermarks/{Uri.EscapeDataString(name)}?project={Uri.EscapeDataString(project)}&position={Uri.EscapeDataString(next.ToString())}",
                    null, cancellationToken);
                await RemoteCall.EnsureSuccessAsync(advanced, cancellationToken);
            }
        });
        return await CountRowsAsync(path, query.Format);
    }

    // The server streams the export; progress counts kilobytes received, as rows are only known at the end.
    private static async Task CopyAsync(Stream from, Stream to, ConsoleProgress? kilobytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
            kilobytes?.Report((int)(total / 1024));
        }
    }

    // Rows in a finished export file (the server streamed it, so only the file knows).
    private static async Task<int> CountRowsAsync(string path, string format)
    {
        if (format != ParquetFormat.Name) return File.ReadLines(path).Count();
        await using var reader = await Parquet.ParquetReader.CreateAsync(path);
        return (int)reader.Metadata!.NumRows;
    }
}
