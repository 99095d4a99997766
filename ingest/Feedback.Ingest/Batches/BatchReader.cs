using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Feedback.Ingest.Batches;

/// <summary>
/// Reads a batch body: optional gzip, a size limit counted after decompression (so a small gzip bomb is
/// still refused), then JSON. Each failure is a client error with a reason, never an exception to the host.
/// </summary>
public sealed class BatchReader(IngestOptions limits)
{
    /// <summary>
    /// Reads the body as JSON. <paramref name="plainTextAllowed"/>: a <c>text/plain</c> body is read as JSON too, for
    /// <c>navigator.sendBeacon</c>, which can send no other type without a CORS preflight (the browser path only).
    /// </summary>
    public async Task<(JsonDocument? Document, BatchProblem? Problem)> ReadAsync(HttpRequest request, bool plainTextAllowed, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType) && !(plainTextAllowed && IsPlainText(request.ContentType)))
        {
            return (null, new(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                plainTextAllowed ? "Send Content-Type: application/json (or text/plain from a web page)." : "Send Content-Type: application/json."));
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        Stream body = encoding switch
        {
            "" or "identity" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => Stream.Null,
        };
        if (body == Stream.Null)
            return (null, new(StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding", $"Content-Encoding '{encoding}' is not supported; use gzip or none."));

        using var buffer = new MemoryStream();
        try
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limits.MaxBodyBytes) return (null, TooLarge());
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (InvalidDataException)
        {
            return (null, new(StatusCodes.Status400BadRequest, "Invalid gzip body", "The body says Content-Encoding: gzip but is not valid gzip data."));
        }
        finally
        {
            if (body != request.Body) await body.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            buffer.Position = 0;
            return (JsonDocument.Parse(buffer, DocumentOptions), null);
        }
        catch (JsonException e)
        {
            return (null, new(StatusCodes.Status400BadRequest, "Malformed JSON", e.Message));
        }
    }

    /// <summary>
    /// Deeper than an event may be (64, the serializer's limit), so that a too deeply nested event is rejected on
    /// its own with a reason while the rest of its batch is kept; deeper still, the body is refused as a whole.
    /// </summary>
    public const int MaxDocumentDepth = 128;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDocumentDepth };

    private BatchProblem TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body (after decompression) is over {limits.MaxBodyBytes} bytes; send smaller batches.");

    private static bool IsJson(string? contentType) => MediaTypeIs(contentType, "application/json");

    private static bool IsPlainText(string? contentType) => MediaTypeIs(contentType, "text/plain");

    private static bool MediaTypeIs(string? contentType, string mediaType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase);
}
