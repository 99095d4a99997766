using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// Users whose feedback looks unlike everyone else's (docs/export.md, "Noise and bias controls"), from their
/// clear labels in <c>turn_labels</c>: <c>always_negative</c> (at least <see cref="MinLabels"/> labels, every one
/// negative) and <c>heavy</c> (at least <see cref="MinLabels"/> × 2 labels and more than <see cref="HeavyFactor"/>
/// times the project's median per user). Computed when asked, so a flag follows the data; exports can leave them out.
/// </summary>
public sealed class OutlierUsers(IClickHouse store)
{
    public const int MinLabels = 10;
    public const int HeavyFactor = 10;

    // The flagged users of the project with their counts and reason. The export readers leave the same users out
    // (PairReader, TurnLabelReader: exclude_outliers).
    private const string Flagged = """
        SELECT user_id, labels, negative,
            if(labels >= {min_labels:UInt32} AND negative = labels, 'always_negative', 'heavy') AS reason
        FROM
        (
            SELECT user_id, count() AS labels, countIf(label < 0) AS negative
            FROM turn_labels FINAL
            WHERE project = {project:String} AND label != 0
            GROUP BY user_id
        )
        WHERE (labels >= {min_labels:UInt32} AND negative = labels)
            OR (labels >= 2 * {min_labels:UInt32} AND labels > {heavy_factor:UInt32} * (
                SELECT median(n) FROM (SELECT count() AS n FROM turn_labels FINAL WHERE project = {project:String} AND label != 0 GROUP BY user_id)))
        ORDER BY user_id
        """;

    public Task<IReadOnlyList<OutlierUser>> ListAsync(string project, CancellationToken cancellationToken = default) =>
        store.QueryAsync<OutlierUser>(Flagged, new { project, min_labels = (uint)MinLabels, heavy_factor = (uint)HeavyFactor }, cancellationToken);
}
