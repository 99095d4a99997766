using Feedback.Analytics.Store;

namespace Feedback.Analytics.Trends;

/// <summary>
/// Evaluators' results per group: each evaluated turn's newest <c>evaluation</c> event per evaluation name, joined to
/// the turn's <c>turn_signals</c> row for its time bucket, breakdown and filters (so a result follows its turn, as
/// feedback does). Read from the events table, never from the signals: evaluator results are not user feedback
/// (docs/analytics.md, "Evaluator series").
/// </summary>
public sealed class EvaluationScoreQuery(IClickHouse store)
{
    // The newest result of a turn per evaluation name (a re-run evaluator replaces its older result), as a whole:
    // argMax over the tuple, so that a newer result without a score does not fall back to an older score.
    // No FINAL on events: copies of a re-delivered event are equal, so they give the same argMax in the same
    // group, and the trends request need not merge every event of the project to find the few evaluations.
    // The key, bucket and filter are TurnCountQuery's.
    internal const string Scores = """
        SELECT
            multiIf({by:String} = 'model', model, {by:String} = 'model_version', model_version,
                {by:String} = 'prompt_template', prompt_template, {by:String} = 'stage', stage,
                {by:String} = 'metadata', metadata[{field_key:String}], '') AS key,
            multiIf({interval:String} = 'hour', toDateTime64(toStartOfHour(turn_timestamp), 3, 'UTC'),
                {interval:String} = 'day', toDateTime64(toStartOfDay(turn_timestamp), 3, 'UTC'),
                {interval:String} = 'week', toDateTime64(toMonday(turn_timestamp), 3, 'UTC'),
                {from:DateTime64(3, 'UTC')}) AS time,
            e.evaluation_name AS evaluation_name,
            count() AS evaluated_turns,
            countIf(e.result.1 IS NOT NULL) AS scored_turns,
            sum(ifNull(e.result.1, 0)) AS score_sum,
            countIf(e.result.2 IS NOT NULL) AS judged_turns,
            countIf(ifNull(e.result.2, false)) AS failed_turns
        FROM
        (
            SELECT * FROM turn_signals FINAL
            WHERE project = {project:String}
              AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
              AND (empty({models:Array(String)}) OR has({models:Array(String)}, model))
              AND (empty({model_versions:Array(String)}) OR has({model_versions:Array(String)}, model_version))
              AND (empty({prompt_templates:Array(String)}) OR has({prompt_templates:Array(String)}, prompt_template))
              AND (empty({stages:Array(String)}) OR has({stages:Array(String)}, stage))
              AND arrayAll((k, v) -> metadata[k] = v, {metadata_keys:Array(String)}, {metadata_values:Array(String)})
        ) AS s
        INNER JOIN
        (
            SELECT turn_id, evaluation_name,
                argMax((evaluation_score, evaluation_failed), (timestamp, event_id)) AS result
            FROM events
            WHERE project = {project:String} AND kind = 'evaluation'
            GROUP BY turn_id, evaluation_name
        ) AS e ON e.turn_id = s.turn_id
        GROUP BY key, time, evaluation_name
        ORDER BY key, evaluation_name, time
        """;

    /// <summary>Counts per series key, evaluation name and time bucket; buckets without evaluated turns are absent.</summary>
    public Task<IReadOnlyList<EvaluationCounts>> PerBucketAsync(TrendFilter filter, TrendInterval interval, TrendField? by, CancellationToken cancellationToken = default)
    {
        var parameters = TurnCountQuery.FilterParameters(filter, by);
        parameters["interval"] = interval.Name;
        return store.QueryAsync<EvaluationCounts>(Scores, parameters, cancellationToken);
    }
}
