namespace Feedback.Ingest;

/// <summary>Limits of the capture API (configuration section <c>Feedback:Ingest</c>; docs/ingest-api.md).</summary>
public sealed class IngestOptions
{
    public const string Section = "Feedback:Ingest";

    /// <summary>Largest request body, counted after gzip decompression.</summary>
    public long MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    public int MaxEventsPerBatch { get; set; } = 1000;

    /// <summary>Longest id (event, user, session, conversation, turn), model name or other short field.</summary>
    public int MaxIdLength { get; set; } = 200;

    /// <summary>Longest text field (request message, response, edit, follow-up, comment, copied text).</summary>
    public int MaxTextLength { get; set; } = 200_000;

    public int MaxRequestMessages { get; set; } = 200;

    public int MaxMetadataEntries { get; set; } = 64;

    public int MaxMetadataValueLength { get; set; } = 2_000;

    /// <summary>Failed key checks a client address may make per minute before it gets 429 (docs/ingest-api.md).</summary>
    public int MaxAuthFailuresPerMinute { get; set; } = 30;

    /// <summary>How far ahead of the server's clock an event's timestamp may be (clock skew).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromDays(1);
}
