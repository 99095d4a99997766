using Feedback.Events;

namespace Feedback.Ingest;

/// <summary>
/// Where accepted events go. A batch counts as accepted only once <see cref="WriteAsync"/> has returned:
/// the embedded mode writes to the store, the distributed mode to Kafka.
/// </summary>
public interface IEventSink
{
    Task WriteAsync(IReadOnlyCollection<FeedbackEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Why this valid event can never be written here (too big for the transport), or null. Asked per event
    /// before the batch is answered, so such an event is rejected with its reason instead of a 503 forever.
    /// </summary>
    string? Refuse(FeedbackEvent e) => null;
}
