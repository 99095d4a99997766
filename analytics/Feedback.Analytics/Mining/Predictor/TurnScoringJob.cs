using Feedback.Analytics.Export;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining.Predictor;

/// <summary>
/// Scores the turns without an explicit reaction (no thumb, no rating, no emoji with a polarity) of every project
/// that has a reaction predictor, into <c>turn_predictions</c>. Incremental: only turns not yet scored by the
/// project's newest predictor; ML.NET runs over batches of <see cref="BatchSize"/> turns.
/// </summary>
public sealed class TurnScoringJob(IClickHouse store, ReactionPredictors predictors, TimeProvider clock)
{
    public const int BatchSize = 5_000;

    private const string Unscored = """
        SELECT s.turn_id AS turn_id, s.conversation_id AS conversation_id, s.model AS model, s.model_version AS model_version,
            t.request AS request, t.response AS response
        FROM
        (
            SELECT * FROM turn_signals FINAL
            WHERE project = {project:String} AND thumbs_up + thumbs_down = 0 AND emoji_polarity = 0 AND rating_normalized IS NULL
                AND turn_id NOT IN
                (
                    SELECT turn_id FROM turn_predictions FINAL
                    WHERE project = {project:String} AND predictor_trained_at = {trained_at:DateTime64(3, 'UTC')}
                )
            ORDER BY turn_id
            LIMIT {limit:UInt32}
        ) AS s
        INNER JOIN
        """ + ReactionPredictors.TurnTexts;

    private readonly Dictionary<(string, DateTimeOffset), ReactionPredictor> loaded = [];
    private readonly Lock scoring = new(); // prediction engines are not thread-safe

    /// <summary>Scores what is new; returns how many turns were scored.</summary>
    public async Task<int> ScoreAsync(CancellationToken cancellationToken = default)
    {
        var scored = 0;
        foreach (var predictor in await predictors.LatestAsync(cancellationToken).ConfigureAwait(false))
        {
            while (true)
            {
                var batch = await store.QueryAsync<UnscoredTurn>(Unscored,
                    new { project = predictor.Project, trained_at = predictor.TrainedAt, limit = (uint)BatchSize }, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0) break;
                var now = clock.GetUtcNow();
                List<TurnPrediction> rows;
                lock (scoring)
                {
                    if (!loaded.TryGetValue((predictor.Project, predictor.TrainedAt), out var model))
                        loaded[(predictor.Project, predictor.TrainedAt)] = model = predictor.Load();
                    rows = batch.Select(t => new TurnPrediction(predictor.Project, t.TurnId,
                        model.Predict(new Answer(t.ConversationId, PairExport.RenderPrompt(t.Request), t.Response, t.Model, t.ModelVersion)),
                        predictor.TrainedAt, now)).ToList();
                }
                await store.InsertAsync("turn_predictions", rows, cancellationToken).ConfigureAwait(false);
                scored += rows.Count;
                if (batch.Count < BatchSize) break;
            }
        }
        return scored;
    }

    private sealed record UnscoredTurn(
        string TurnId, string ConversationId, string Model, string ModelVersion, IReadOnlyList<RequestMessage> Request, string Response);
}

/// <summary>A row of <c>turn_predictions</c>.</summary>
public sealed record TurnPrediction(string Project, string TurnId, float PPositive, DateTimeOffset PredictorTrainedAt, DateTimeOffset ScoredAt);
