namespace Feedback.Delivery;

/// <summary>Events on their way, each already serialised as JSON; <see cref="File"/> is its spool file when spooled.</summary>
internal sealed class PendingBatch(List<byte[]> events, string? file = null)
{
    public List<byte[]> Events { get; } = events;

    public string? File { get; set; } = file;

    public long Bytes => Events.Sum(e => (long)e.Length);
}
