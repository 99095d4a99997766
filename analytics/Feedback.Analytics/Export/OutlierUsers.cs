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

    /// <summary>The flagged users of {project:String} with their counts and reason (a subquery for the export filter).</summary>
    public static readonly string Flagged = $$"""
        SELECT user_id, labels, negative,
            if(labels >= {{MinLabels}} AND negative = labels, 'always_negative', 'heavy') AS reason
        FROM
        (
            SELECT user_id, count() AS labels, countIf(label < 0) AS negative
            FROM turn_labels FINAL
            WHERE project = {project:String} AND label != 0
            GROUP BY user_id
        )
        WHERE (labels >= {{MinLabels}} AND negative = labels)
            OR (labels >= {{MinLabels * 2}} AND labels > {{HeavyFactor}} * (
                SELECT median(n) FROM (SELECT count() AS n FROM turn_labels FINAL WHERE project = {project:String} AND label != 0 GROUP BY user_id)))
        ORDER BY user_id
        """;

    public Task<IReadOnlyList<OutlierUser>> ListAsync(string project, CancellationToken cancellationToken = default) =>
        store.QueryAsync<OutlierUser>(Flagged, new { project }, cancellationToken);
}

public sealed record OutlierUser(string UserId, long Labels, long Negative, string Reason);
