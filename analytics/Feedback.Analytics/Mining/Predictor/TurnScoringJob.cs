using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining.Predictor;

/// <summary>
/// Scores the turns without an explicit reaction (no thumb, no rating, no emoji with a polarity) of every project
/// that has a reaction predictor, into <c>turn_predictions</c>. Incremental: only turns not yet scored by the
/// project's newest predictor; ML.NET runs over batches of <paramref name="batchSize"/> turns.
/// <para>
/// A run pages through a project's turns in turn id order (keyset: each batch starts after the previous one's
/// last turn id), so a batch reads <c>turn_signals</c> and <c>turn_predictions</c> (both sorted by project and
/// turn id) from its first turn on, and the texts of its own turns only, instead of sorting and joining every
/// turn for every batch (docs/benchmarks.md, "Scoring turns without a reaction").
/// </para>
/// </summary>
public sealed class TurnScoringJob(IClickHouse store, ReactionPredictors predictors, TimeProvider clock, int batchSize = TurnScoringJob.BatchSize)
{
    public const int BatchSize = 50_000;

    private const string Unscored = """
        WITH batch AS MATERIALIZED
        (
            SELECT turn_id, conversation_id, model, model_version
            FROM turn_signals FINAL
            WHERE project = {project:String} AND turn_id > {after:String}
                AND thumbs_up + thumbs_down = 0 AND emoji_polarity = 0 AND rating_normalized IS NULL
                AND turn_id NOT IN
                (
                    -- Without FINAL: any row from this predictor means it scored the turn (only a newer one replaces it).
                    SELECT turn_id FROM turn_predictions
                    WHERE project = {project:String} AND turn_id > {after:String} AND predictor_trained_at = {trained_at:DateTime64(3, 'UTC')}
                )
            ORDER BY turn_id
            LIMIT {limit:UInt32}
        )
        SELECT s.turn_id AS turn_id, s.conversation_id AS conversation_id, s.model AS model, s.model_version AS model_version,
            t.request AS request, t.response AS response
        FROM batch AS s
        INNER JOIN
        (
            -- Without FINAL, which would read every turn's text: copies of an event are equal, argMin takes the first.
            SELECT turn_id, argMin(request, received_at) AS request, argMin(response, received_at) AS response
            FROM events
            WHERE project = {project:String} AND kind = 'turn' AND turn_id IN (SELECT turn_id FROM batch)
            GROUP BY turn_id
        ) AS t ON t.turn_id = s.turn_id
        ORDER BY s.turn_id
        """;

    private readonly Dictionary<(string, DateTimeOffset), ReactionPredictor> loaded = [];
    private readonly Lock scoring = new(); // prediction engines are not thread-safe

    /// <summary>Scores what is new; returns how many turns were scored.</summary>
    public Task<int> ScoreAsync(CancellationToken cancellationToken = default) => ScoreAsync(MiningShards.All, cancellationToken);

    /// <summary>Scores what is new in the projects of <paramref name="shards"/>.</summary>
    public async Task<int> ScoreAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var scored = 0;
        foreach (var predictor in await predictors.LatestAsync(shards, cancellationToken).ConfigureAwait(false))
        {
            var after = ""; // the last turn id scored by this run: the next batch starts after it
            while (true)
            {
                var batch = await store.QueryAsync<UnscoredTurn>(Unscored,
                    new { project = predictor.Project, after, trained_at = predictor.TrainedAt, limit = (uint)batchSize }, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0) break;
                var now = clock.GetUtcNow();
                List<TurnPrediction> rows;
                lock (scoring)
                {
                    if (!loaded.TryGetValue((predictor.Project, predictor.TrainedAt), out var model))
                        loaded[(predictor.Project, predictor.TrainedAt)] = model = predictor.Load();
                    var scores = model.PredictAll(batch.Select(t => new Answer(t.ConversationId, PromptText.Render(t.Request), t.Response, t.Model, t.ModelVersion)).ToList());
                    rows = batch.Zip(scores, (t, p) => new TurnPrediction(predictor.Project, t.TurnId, p, predictor.TrainedAt, now)).ToList();
                }
                await store.InsertAsync("turn_predictions", rows, cancellationToken).ConfigureAwait(false);
                scored += rows.Count;
                if (batch.Count < batchSize) break;
                after = batch[^1].TurnId;
            }
        }
        return scored;
    }

    private sealed record UnscoredTurn(
        string TurnId, string ConversationId, string Model, string ModelVersion, IReadOnlyList<RequestMessage> Request, string Response);
}
