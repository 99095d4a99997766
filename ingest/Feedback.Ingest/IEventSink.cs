using Feedback.Events;

namespace Feedback.Ingest;

/// <summary>
/// Where accepted events go. A batch counts as accepted only once <see cref="WriteAsync"/> has returned:
/// the embedded mode writes to the store, the distributed mode to Kafka.
/// </summary>
public interface IEventSink
{
    Task WriteAsync(IReadOnlyCollection<FeedbackEvent> events, CancellationToken cancellationToken);
}
