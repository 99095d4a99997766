using Feedback.Analytics.Events;
using Feedback.Events;
using Feedback.Ingest;

namespace Feedback.Server.Hosting;

/// <summary>The embedded mode's sink: accepted events go straight into the store.</summary>
public sealed class StoreEventSink(EventStore store) : IEventSink
{
    public Task WriteAsync(IReadOnlyCollection<FeedbackEvent> events, CancellationToken cancellationToken) =>
        store.AppendAsync(events, cancellationToken);
}
