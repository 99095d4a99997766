using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Trends;

/// <summary>
/// Counts of turns and their signals per group, straight from <c>turn_signals</c> (one row per turn, read with
/// FINAL so a re-derived turn counts once) and <c>pairs</c>. The definitions of feedback, positive and negative
/// live here, in SQL, once (docs/analytics.md).
/// </summary>
public sealed class TurnCountQuery(IClickHouse store)
{
    /// <summary>A turn with any signal: a reaction with a polarity or rating, a real edit, regenerate, choice, copy, or a follow-up that is feedback.</summary>
    public const string Feedback = """
        (thumbs_up + thumbs_down > 0 OR emoji_polarity != 0 OR rating_normalized IS NOT NULL OR edited = 1
         OR regenerated = 1 OR chosen + not_chosen > 0 OR copied = 1 OR (follow_up_label != '' AND follow_up_label != 'none'))
        """;

    /// <summary>Net positive reactions (thumbs, emoji, ratings above the middle) or a positive follow-up.</summary>
    public const string Positive = "(reaction_polarity > 0 OR follow_up_label = 'positive')";

    /// <summary>Net negative reactions, or a follow-up that rephrases, corrects or complains.</summary>
    public const string Negative = "(reaction_polarity < 0 OR follow_up_label IN ('rephrase', 'correction', 'complaint'))";

    /// <summary>The WHERE conditions of a <see cref="TrendFilter"/> over <c>turn_signals</c>; parameters from <see cref="FilterParameters"/>.</summary>
    internal const string Where = """
        project = {project:String}
          AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
          AND (empty({models:Array(String)}) OR has({models:Array(String)}, model))
          AND (empty({model_versions:Array(String)}) OR has({model_versions:Array(String)}, model_version))
          AND (empty({prompt_templates:Array(String)}) OR has({prompt_templates:Array(String)}, prompt_template))
          AND (empty({stages:Array(String)}) OR has({stages:Array(String)}, stage))
          AND arrayAll((k, v) -> metadata[k] = v, {metadata_keys:Array(String)}, {metadata_values:Array(String)})
        """;

    private static readonly string FollowUpCounts =
        "[" + string.Join(", ", FollowUpLabels.All.Select(l => $"countIf(follow_up_label = '{l}')")) + "]";

    /// <summary>Counts per series key and time bucket, in key then time order; buckets without turns are absent.</summary>
    public Task<IReadOnlyList<TurnCounts>> PerBucketAsync(TrendFilter filter, TrendInterval interval, TrendField? by, CancellationToken cancellationToken = default) =>
        QueryAsync(filter, interval.Sql, by?.Sql ?? "''", by?.MetadataKey, extraWhere: "", a: "", b: "", cancellationToken);

    /// <summary>Counts over the whole range for two values of a field (a value without turns is absent).</summary>
    public Task<IReadOnlyList<TurnCounts>> ForValuesAsync(TrendFilter filter, TrendField field, string a, string b, CancellationToken cancellationToken = default) =>
        QueryAsync(filter, "{from:DateTime64(3, 'UTC')}", field.Sql, field.MetadataKey, $"AND {field.Sql} IN ({{a:String}}, {{b:String}})", a, b, cancellationToken);

    private Task<IReadOnlyList<TurnCounts>> QueryAsync(
        TrendFilter filter, string bucket, string key, string? fieldKey, string extraWhere, string a, string b, CancellationToken cancellationToken)
    {
        // Pairs are counted on their turn, so they follow the turn's bucket and breakdown. join_use_nulls may make
        // a turn without pairs NULL, hence ifNull.
        var sql = $$"""
            SELECT
                {{key}} AS key,
                {{bucket}} AS time,
                count() AS turns,
                countIf({{Feedback}}) AS feedback_turns,
                countIf({{Positive}}) AS positive_turns,
                countIf({{Negative}}) AS negative_turns,
                {{FollowUpCounts}} AS follow_ups,
                countIf(edited = 1) AS edited_turns,
                sum(if(edited = 1, ifNull(edit_distance_ratio, 0), 0)) AS edit_distance_sum,
                countIf(regenerated = 1) AS regenerated_turns,
                countIf(chosen + not_chosen > 0) AS choice_turns,
                sum(ifNull(p.pairs, 0)) AS pairs
            FROM
            (
                SELECT * FROM turn_signals FINAL
                WHERE {{Where}}
                  {{extraWhere}}
            ) AS s
            LEFT JOIN
            (
                SELECT turn_id, count() AS pairs FROM pairs FINAL WHERE project = {project:String} GROUP BY turn_id
            ) AS p ON p.turn_id = s.turn_id
            GROUP BY key, time
            ORDER BY key, time
            """;
        var parameters = FilterParameters(filter);
        parameters["field_key"] = fieldKey ?? "";
        parameters["a"] = a;
        parameters["b"] = b;
        return store.QueryAsync<TurnCounts>(sql, parameters, cancellationToken);
    }

    /// <summary>The parameters of <see cref="Where"/>, to which a query adds its own.</summary>
    internal static Dictionary<string, object?> FilterParameters(TrendFilter filter) => new()
    {
        ["project"] = filter.Project,
        ["from"] = filter.From,
        ["to"] = filter.To,
        ["models"] = filter.Models,
        ["model_versions"] = filter.ModelVersions,
        ["prompt_templates"] = filter.PromptTemplates,
        ["stages"] = filter.Stages,
        ["metadata_keys"] = filter.Metadata.Keys.ToArray(),
        ["metadata_values"] = filter.Metadata.Values.ToArray(),
    };
}
