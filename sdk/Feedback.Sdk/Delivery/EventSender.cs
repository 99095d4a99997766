using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Feedback.Events;
using Microsoft.Extensions.Logging;

namespace Feedback.Delivery;

/// <summary>
/// Sends one batch to <c>POST /v1/batch</c>, gzip-compressed, and retries on network errors, timeouts, 408, 429
/// and 5xx with exponential backoff and full jitter, honouring Retry-After. The server's per-event results say
/// what is settled (accepted, or rejected for good); only the rest is sent again.
/// </summary>
internal sealed partial class EventSender(HttpClient http, FeedbackClientOptions options, ILogger logger, TimeProvider clock)
{
    private static readonly byte[] Open = "{\"events\":["u8.ToArray();
    private static readonly byte[] Close = "]}"u8.ToArray();

    public long Accepted;
    public long Rejected;

    /// <summary>Sends until the batch is settled (true) or the attempts run out (false; the batch keeps what is left).</summary>
    public async Task<bool> SendAsync(PendingBatch batch, CancellationToken stopping)
    {
        for (var attempt = 1; ; attempt++)
        {
            var retryAfter = await PostAsync(batch, stopping).ConfigureAwait(false);
            if (batch.Events.Count == 0) return true;
            if (attempt >= options.MaxAttempts || stopping.IsCancellationRequested) return false;
            var ceiling = Math.Min(options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1), options.RetryMaxDelay.TotalMilliseconds);
            var backoff = TimeSpan.FromMilliseconds(ceiling * Random.Shared.NextDouble()); // full jitter
            await Task.Delay(retryAfter ?? backoff, clock, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>One POST: removes from the batch what the server settled; returns the server's Retry-After, if any.</summary>
    private async Task<TimeSpan?> PostAsync(PendingBatch batch, CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Endpoint, "v1/batch"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.WriteKey);
        request.Content = Gzip(batch.Events);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            LogNetworkError(logger, e.Message);
            return null;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            LogNetworkError(logger, $"no answer within {options.RequestTimeout}");
            return null;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is 408 or 429 or >= 500) return RetryAfter(response);

            var results = await ReadResultsAsync(response, timeout.Token).ConfigureAwait(false);
            if (results is null)
            {
                if (!response.IsSuccessStatusCode)
                {
                    // A whole-request refusal (bad key, too large): resending the same bytes cannot help.
                    Interlocked.Add(ref Rejected, batch.Events.Count);
                    LogRefused(logger, status, batch.Events.Count);
                }
                else Interlocked.Add(ref Accepted, batch.Events.Count);
                batch.Events.Clear();
                return null;
            }

            var settled = new bool[batch.Events.Count];
            foreach (var r in results.Where(r => r.Index >= 0 && r.Index < settled.Length))
            {
                if (r.Status == "accepted") Interlocked.Increment(ref Accepted);
                else if (r.Status == "rejected")
                {
                    Interlocked.Increment(ref Rejected);
                    LogRejected(logger, r.EventId, r.Reason);
                }
                else continue;
                settled[r.Index] = true;
            }
            var remaining = batch.Events.Where((_, i) => !settled[i]).ToList();
            batch.Events.Clear();
            batch.Events.AddRange(remaining);
            return null;
        }
    }

    private static async Task<IReadOnlyList<EventResultDto>?> ReadResultsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<BatchResultDto>(FeedbackJson.Options, cancellationToken).ConfigureAwait(false))?.Results;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - clock.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
            _ => null,
        };

    private static ByteArrayContent Gzip(List<byte[]> events)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Open);
            for (var i = 0; i < events.Count; i++)
            {
                if (i > 0) gzip.WriteByte((byte)',');
                gzip.Write(events[i]);
            }
            gzip.Write(Close);
        }
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    private sealed record BatchResultDto(IReadOnlyList<EventResultDto>? Results);

    private sealed record EventResultDto(int Index, Guid? EventId, string Status, string? Reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: sending a batch failed, will retry: {Error}")]
    private static partial void LogNetworkError(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feedback: the server refused a batch of {Count} events with status {Status}")]
    private static partial void LogRefused(ILogger logger, int status, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: event {EventId} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid? eventId, string? reason);
}
