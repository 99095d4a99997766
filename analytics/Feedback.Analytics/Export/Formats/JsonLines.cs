using System.Text.Json;
using Feedback.Events;

namespace Feedback.Analytics.Export.Formats;

/// <summary>Rows as JSON Lines, a row at a time: the shape of the JSONL formats.</summary>
internal static class JsonLines
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static async Task<int> WriteAsync<T>(
        IAsyncEnumerable<T> rows, Func<T, object> toLine, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var row in rows.ConfigureAwait(false))
        {
            // Asynchronous writes only: the output may be an HTTP response.
            var line = toLine(row);
            await output.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(line, line.GetType(), FeedbackJson.Options), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
            if (++count % PairReader.PageSize == 0) progress?.Report(count);
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(count);
        return count;
    }
}
