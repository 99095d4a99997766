using Feedback.Privacy;

namespace Feedback;

/// <summary>Settings of a <see cref="FeedbackClient"/>.</summary>
public sealed record FeedbackClientOptions
{
    /// <summary>Base address of the ingest API, e.g. http://127.0.0.1:8400.</summary>
    public Uri Endpoint { get; set; } = new("http://127.0.0.1:8400");

    /// <summary>The project's write key.</summary>
    public string WriteKey { get; set; } = "";

    /// <summary>Events sent in one request at most.</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>JSON bytes sent in one request at most (before gzip); the ingest API takes up to 5 MiB.</summary>
    public int MaxBatchBytes { get; set; } = 1024 * 1024;

    /// <summary>How long one request may take before it counts as failed and is retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Directory of the disk spool; null (the default) keeps events in memory only. With a spool, batches are
    /// written to disk before they are sent and removed once the server settled them, so they survive the app
    /// being offline or killed (docs/sdk.md).
    /// </summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Largest spool size; past it the oldest batches are dropped (and counted in Dropped).</summary>
    public long SpoolMaxBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How long an event may wait for its batch to fill before it is sent anyway.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events queued in memory at most (at least 2); past that, new events are dropped, counted and logged.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Attempts per batch on network errors, 408, 429 and 5xx before the batch is dropped.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; doubles each attempt (with full jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two attempts (the exponential backoff stops growing here).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest the final flush on dispose may take.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What is redacted from free text before an event is serialised, spooled or sent; on by default (docs/sdk-privacy.md).</summary>
    public RedactionOptions Redaction { get; } = new();

    /// <summary>
    /// Asked for every event with its user id; false drops the event before it is queued (counted in
    /// <see cref="FeedbackClient.DroppedByConsent"/>). Null: every user consents unless opted out. Must be fast.
    /// </summary>
    public Func<string, bool>? HasConsent { get; set; }

    /// <summary>Share of conversations sent, 0..1 (default 1: all). Whole conversations are kept or dropped, the same in every process.</summary>
    public double SampleRate
    {
        get;
        set => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "SampleRate must be between 0 and 1.");
    } = 1;
}
