using Feedback.Analytics.Store;

namespace Feedback.Analytics.Mining;

/// <summary>
/// How many rows a job's INSERT … SELECT wrote: every row it writes carries the run's time in a column
/// (<c>derived_at</c>, <c>labelled_at</c>), and ClickHouse does not return the count of an INSERT.
/// </summary>
internal static class WrittenRows
{
    public static async Task<int> CountAsync(IClickHouse store, string table, string timeColumn, DateTimeOffset runTime, CancellationToken cancellationToken) =>
        (await store.QueryAsync<Written>($"SELECT count() AS rows FROM {table} WHERE {timeColumn} = {{at:DateTime64(3, 'UTC')}}",
            new { at = runTime }, cancellationToken).ConfigureAwait(false))[0].Rows;

    private sealed record Written(int Rows);
}
