using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Trends;

/// <summary>
/// Counts of turns and their signals per group, straight from <c>turn_signals</c> (one row per turn, read with
/// FINAL so a re-derived turn counts once) and <c>pairs</c>. What feedback, positive and negative mean is the
/// table's (<c>is_feedback</c>, <c>is_positive</c>, <c>is_negative</c>: migration 0028, docs/analytics.md).
/// </summary>
public sealed class TurnCountQuery(IClickHouse store)
{
    // Per series key ({by}: a column, a metadata key or none) and time bucket ({interval}, or the whole range as one
    // bucket at {from}); with {compare} only the keys {a} and {b}. Pairs are counted on their turn, so they follow the
    // turn's bucket and breakdown; join_use_nulls may make a turn without pairs NULL, hence ifNull.
    internal const string Counts = """
        SELECT
            multiIf({by:String} = 'model', model, {by:String} = 'model_version', model_version,
                {by:String} = 'prompt_template', prompt_template, {by:String} = 'stage', stage,
                {by:String} = 'metadata', metadata[{field_key:String}], '') AS key,
            multiIf({interval:String} = 'hour', toDateTime64(toStartOfHour(turn_timestamp), 3, 'UTC'),
                {interval:String} = 'day', toDateTime64(toStartOfDay(turn_timestamp), 3, 'UTC'),
                {interval:String} = 'week', toDateTime64(toMonday(turn_timestamp), 3, 'UTC'),
                {from:DateTime64(3, 'UTC')}) AS time,
            count() AS turns,
            countIf(is_feedback) AS feedback_turns,
            countIf(is_positive) AS positive_turns,
            countIf(is_negative) AS negative_turns,
            sumForEach(arrayMap(label -> toUInt64(follow_up_label = label), {follow_up_labels:Array(String)})) AS follow_ups,
            countIf(edited = 1) AS edited_turns,
            sum(if(edited = 1, ifNull(edit_distance_ratio, 0), 0)) AS edit_distance_sum,
            countIf(regenerated = 1) AS regenerated_turns,
            countIf(chosen + not_chosen > 0) AS choice_turns,
            sum(ifNull(p.pairs, 0)) AS pairs
        FROM
        (
            SELECT *, is_feedback, is_positive, is_negative FROM turn_signals FINAL -- * leaves ALIAS columns out
            WHERE project = {project:String}
              AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
              AND (empty({models:Array(String)}) OR has({models:Array(String)}, model))
              AND (empty({model_versions:Array(String)}) OR has({model_versions:Array(String)}, model_version))
              AND (empty({prompt_templates:Array(String)}) OR has({prompt_templates:Array(String)}, prompt_template))
              AND (empty({stages:Array(String)}) OR has({stages:Array(String)}, stage))
              AND arrayAll((k, v) -> metadata[k] = v, {metadata_keys:Array(String)}, {metadata_values:Array(String)})
        ) AS s
        LEFT JOIN
        (
            SELECT turn_id, count() AS pairs FROM pairs FINAL WHERE project = {project:String} GROUP BY turn_id
        ) AS p ON p.turn_id = s.turn_id
        GROUP BY key, time
        HAVING {compare:UInt8} = 0 OR key IN ({a:String}, {b:String})
        ORDER BY key, time
        """;

    /// <summary>Counts per series key and time bucket, in key then time order; buckets without turns are absent.</summary>
    public Task<IReadOnlyList<TurnCounts>> PerBucketAsync(TrendFilter filter, TrendInterval interval, TrendField? by, CancellationToken cancellationToken = default) =>
        QueryAsync(filter, interval.Name, by, compare: null, cancellationToken);

    /// <summary>Counts over the whole range for two values of a field (a value without turns is absent).</summary>
    public Task<IReadOnlyList<TurnCounts>> ForValuesAsync(TrendFilter filter, TrendField field, string a, string b, CancellationToken cancellationToken = default) =>
        QueryAsync(filter, interval: "", field, compare: (a, b), cancellationToken);

    private Task<IReadOnlyList<TurnCounts>> QueryAsync(
        TrendFilter filter, string interval, TrendField? by, (string A, string B)? compare, CancellationToken cancellationToken)
    {
        var parameters = FilterParameters(filter, by);
        parameters["interval"] = interval;
        parameters["follow_up_labels"] = FollowUpLabels.All;
        parameters["compare"] = compare is null ? (byte)0 : (byte)1;
        parameters["a"] = compare?.A ?? "";
        parameters["b"] = compare?.B ?? "";
        return store.QueryAsync<TurnCounts>(Counts, parameters, cancellationToken);
    }

    /// <summary>
    /// The parameters of a <see cref="TrendFilter"/> and a breakdown (<c>by</c>, <c>field_key</c>) in the statements
    /// over <c>turn_signals</c> (here, <see cref="EvaluationScoreQuery"/>, the conversations' list), to which a query adds its own.
    /// </summary>
    internal static Dictionary<string, object?> FilterParameters(TrendFilter filter, TrendField? by) => new()
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
        ["by"] = by?.Kind ?? "",
        ["field_key"] = by?.MetadataKey ?? "",
    };
}
