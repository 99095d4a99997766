using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// What a consumer should know before training on a project's data (docs/export.md, "Noise and bias controls"):
/// how often the chosen answer is the longer one, per pair source (length bias); pairs and labels per model
/// version (stratify, hold out, watch for self-consuming loops); and the flagged users.
/// </summary>
public sealed class BiasReport(IClickHouse store)
{
    private const string Lengths = """
        SELECT source, count() AS pairs,
            countIf(lengthUTF8(chosen) > lengthUTF8(rejected)) AS chosen_longer,
            countIf(lengthUTF8(chosen) < lengthUTF8(rejected)) AS chosen_shorter
        FROM pairs FINAL WHERE project = {project:String}
        GROUP BY source ORDER BY source
        """;

    /// <summary>Per pair source, how often the chosen answer is the longer one.</summary>
    public Task<IReadOnlyList<SourceLengths>> LengthsAsync(string project, CancellationToken cancellationToken = default) =>
        store.QueryAsync<SourceLengths>(Lengths, new { project }, cancellationToken);

    private const string Versions = """
        SELECT model, model_version, sum(pairs) AS pairs, sum(positive) AS positive_labels, sum(negative) AS negative_labels
        FROM
        (
            SELECT model, model_version, count() AS pairs, 0 AS positive, 0 AS negative FROM pairs FINAL
            WHERE project = {project:String} GROUP BY model, model_version
            UNION ALL
            SELECT model, model_version, 0, countIf(label > 0), countIf(label < 0) FROM turn_labels FINAL
            WHERE project = {project:String} AND label != 0 GROUP BY model, model_version
        )
        GROUP BY model, model_version ORDER BY model, model_version
        """;

    public async Task<Bias> BuildAsync(string project, CancellationToken cancellationToken = default) => new(
        project,
        await LengthsAsync(project, cancellationToken).ConfigureAwait(false),
        await store.QueryAsync<VersionCounts>(Versions, new { project }, cancellationToken).ConfigureAwait(false),
        await new OutlierUsers(store).ListAsync(project, cancellationToken).ConfigureAwait(false));
}
