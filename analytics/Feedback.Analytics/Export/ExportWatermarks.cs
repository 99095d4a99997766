using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// Named positions of incremental exports (table <c>export_watermarks</c>, Schema/Migrations/0005). A run exports
/// the rows after the stored position, up to a position fixed at its start, and the position moves only once the
/// output is complete, so a failed run is simply run again.
/// </summary>
public sealed class ExportWatermarks(IClickHouse store, TimeProvider clock)
{
    /// <summary>Where the watermark stands; <see cref="ExportPosition.Start"/> for one never advanced.</summary>
    public async Task<ExportPosition> GetAsync(string project, string name, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync<Row>(
            """
            SELECT name, project, position_created_at, position_id, updated_at FROM export_watermarks FINAL
            WHERE project = {project:String} AND name = {name:String}
            """, new { project, name }, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? ExportPosition.Start : new ExportPosition(rows[0].PositionCreatedAt, rows[0].PositionId);
    }

    public Task AdvanceAsync(string project, string name, ExportPosition position, CancellationToken cancellationToken = default) =>
        store.InsertAsync("export_watermarks", [new Row(name, project, position.CreatedAt, position.Id, clock.GetUtcNow())], cancellationToken);

    /// <summary>
    /// Fixes a watermarked run: rows after the stored position, created before the cut-off (<paramref name="filter"/>'s
    /// To, else now), up to the last such row. Returns the filter to export with and the position to advance to
    /// afterwards (null: nothing new).
    /// </summary>
    public async Task<(ExportFilter Filter, ExportPosition? Next)> PlanAsync(
        PairExport export, string format, ExportFilter filter, string name, CancellationToken cancellationToken = default)
    {
        var planned = filter with
        {
            // Pairs get created_at = the time their mining run started, so a cut-off strictly before this run's
            // start never splits what a later run sees (docs/export.md).
            To = filter.To ?? clock.GetUtcNow(),
            After = await GetAsync(filter.Project, name, cancellationToken).ConfigureAwait(false),
        };
        var next = await export.LastAsync(format, planned, cancellationToken).ConfigureAwait(false);
        return (next is null ? planned : planned with { UpTo = next }, next);
    }

    private sealed record Row(string Name, string Project, DateTimeOffset PositionCreatedAt, Guid PositionId, DateTimeOffset UpdatedAt);
}
