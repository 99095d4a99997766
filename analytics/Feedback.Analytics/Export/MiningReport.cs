using Feedback.Analytics.Export.Formats;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// What mining produced for a project, as the dashboard shows it (docs/analytics.md, "Mined data"): pairs per day and
/// source and labels per day, by the time of the turn they came from; how confident the pairs are; how often the
/// chosen answer is the longer one; and how many rows an export with the given filter would hold.
/// </summary>
public sealed class MiningReport(IClickHouse store, PairExport export)
{
    private const string PairsPerDay = """
        SELECT toStartOfDay(s.turn_timestamp) AS day, p.source AS source, count() AS pairs
        FROM (SELECT turn_id, source FROM pairs FINAL WHERE project = {project:String}) AS p
        INNER JOIN
        (
            SELECT turn_id, turn_timestamp FROM turn_signals FINAL
            WHERE project = {project:String} AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
        ) AS s ON p.turn_id = s.turn_id
        GROUP BY day, source ORDER BY day, source
        """;

    private const string Confidence = """
        SELECT p.source AS source, least(toUInt8(floor(p.confidence * 10)), 9) AS bin, count() AS pairs
        FROM (SELECT turn_id, source, confidence FROM pairs FINAL WHERE project = {project:String}) AS p
        INNER JOIN
        (
            SELECT turn_id FROM turn_signals FINAL
            WHERE project = {project:String} AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
        ) AS s ON p.turn_id = s.turn_id
        GROUP BY source, bin ORDER BY source, bin
        """;

    private const string LabelsPerDay = """
        SELECT toStartOfDay(s.turn_timestamp) AS day, countIf(l.label > 0) AS positive, countIf(l.label < 0) AS negative
        FROM (SELECT turn_id, label FROM turn_labels FINAL WHERE project = {project:String} AND label != 0) AS l
        INNER JOIN
        (
            SELECT turn_id, turn_timestamp FROM turn_signals FINAL
            WHERE project = {project:String} AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
        ) AS s ON l.turn_id = s.turn_id
        GROUP BY day ORDER BY day
        """;

    /// <summary>The report over turns in [<paramref name="from"/>, <paramref name="to"/>); the export counts use <paramref name="filter"/>.</summary>
    public async Task<MiningSummary> BuildAsync(string project, DateTimeOffset from, DateTimeOffset to, ExportFilter filter, CancellationToken cancellationToken = default)
    {
        var range = new { project, from, to };
        return new MiningSummary(
            await store.QueryAsync<MiningSummary.SourceDay>(PairsPerDay, range, cancellationToken).ConfigureAwait(false),
            await store.QueryAsync<MiningSummary.LabelDay>(LabelsPerDay, range, cancellationToken).ConfigureAwait(false),
            await store.QueryAsync<MiningSummary.ConfidenceBin>(Confidence, range, cancellationToken).ConfigureAwait(false),
            await new BiasReport(store).LengthsAsync(project, cancellationToken).ConfigureAwait(false),
            await CountAsync(DpoFormat.Name, filter, cancellationToken).ConfigureAwait(false),
            await CountAsync(KtoFormat.Name, filter, cancellationToken).ConfigureAwait(false));
    }

    // The export itself, written nowhere: the count is what a download with this filter holds, controls included.
    private Task<int> CountAsync(string format, ExportFilter filter, CancellationToken cancellationToken) =>
        export.WriteAsync(format, filter, Stream.Null, cancellationToken: cancellationToken);
}
