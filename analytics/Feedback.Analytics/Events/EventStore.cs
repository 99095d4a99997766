using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Events;

/// <summary>Writes accepted events to the <c>events</c> table (schema: Schema/Migrations/0001_events.sql).</summary>
public sealed class EventStore(IClickHouse store)
{
    /// <summary>
    /// Inserts the events, in one INSERT per <see cref="PartitionBlocks"/> block. When a later block fails, the
    /// earlier ones stay stored; the caller's retry resends them, and re-delivery collapses on event_id.
    /// </summary>
    public async Task AppendAsync(IReadOnlyCollection<FeedbackEvent> events, CancellationToken cancellationToken = default)
    {
        foreach (var block in PartitionBlocks.Split(events))
            await store.InsertAsync("events", block, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many distinct events a project holds (re-deliveries counted once).</summary>
    public async Task<long> CountAsync(string project, CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<CountRow>("SELECT count() AS n FROM events FINAL WHERE project = {project:String}", new { project }, cancellationToken)
            .ConfigureAwait(false))[0].N;

    private sealed record CountRow(long N);
}
