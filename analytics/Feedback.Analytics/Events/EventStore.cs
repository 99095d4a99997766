using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Events;

/// <summary>Writes accepted events to the <c>events</c> table (schema: Schema/Migrations/0001_events.sql).</summary>
public sealed class EventStore(IClickHouse store)
{
    public Task AppendAsync(IReadOnlyCollection<FeedbackEvent> events, CancellationToken cancellationToken = default) =>
        store.InsertAsync("events", events, cancellationToken);

    /// <summary>How many distinct events a project holds (re-deliveries counted once).</summary>
    public async Task<long> CountAsync(string project, CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<CountRow>("SELECT count() AS n FROM events FINAL WHERE project = {project:String}", new { project }, cancellationToken)
            .ConfigureAwait(false))[0].N;

    private sealed record CountRow(long N);
}
