using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining.Predictor;

/// <summary>
/// Trains a project's <see cref="ReactionPredictor"/> from its turns with an explicit reaction (the sign of
/// <c>turn_signals.reaction_polarity</c>: thumbs, emoji, ratings; turns whose reactions cancel out are left out)
/// and keeps it in <c>reaction_predictors</c> (migration 0011), so every process that mines can load it.
/// </summary>
public sealed class ReactionPredictors(IClickHouse store, TimeProvider clock)
{
    private const string Reacted = """
        SELECT s.conversation_id AS conversation_id, t.request AS request, t.response AS response, s.model AS model,
            s.model_version AS model_version, toBool(s.reaction_polarity > 0) AS positive
        FROM (SELECT * FROM turn_signals FINAL WHERE project = {project:String} AND reaction_polarity != 0) AS s
        INNER JOIN
        """ + TurnTexts + """

        ORDER BY s.turn_id
        """;

    /// <summary>The request and answer of each turn of {project:String}, joined as <c>t</c> on <c>s.turn_id</c>.</summary>
    private const string TurnTexts = """
        (
            SELECT turn_id AS t_turn_id, argMin(request, received_at) AS request, argMin(response, received_at) AS response
            FROM events FINAL
            WHERE project = {project:String} AND kind = 'turn'
            GROUP BY turn_id
        ) AS t ON t.t_turn_id = s.turn_id
        """;

    /// <summary>Trains on the project's reacted turns, stores the model and returns it with its held-out AUC.</summary>
    public async Task<StoredPredictor> TrainAsync(string project, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync<ReactedRow>(Reacted, new { project }, cancellationToken).ConfigureAwait(false);
        var trained = ReactionPredictor.Train(rows
            .Select(r => new ReactedAnswer(new Answer(r.ConversationId, PromptText.Render(r.Request), r.Response, r.Model, r.ModelVersion), r.Positive))
            .ToList());
        var row = new StoredPredictor(project, clock.GetUtcNow(), Convert.ToBase64String(trained.Model), trained.Auc,
            trained.TrainTurns, trained.TestTurns, trained.PositiveShare);
        await store.InsertAsync("reaction_predictors", [row], cancellationToken).ConfigureAwait(false);
        return row;
    }

    /// <summary>The newest predictor of every project that has one.</summary>
    public Task<IReadOnlyList<StoredPredictor>> LatestAsync(CancellationToken cancellationToken = default) =>
        store.QueryAsync<StoredPredictor>("SELECT * FROM reaction_predictors FINAL ORDER BY project", cancellationToken: cancellationToken);

    /// <summary>The newest predictor of every project of <paramref name="shards"/> that has one.</summary>
    public Task<IReadOnlyList<StoredPredictor>> LatestAsync(MiningShards shards, CancellationToken cancellationToken = default) =>
        store.QueryAsync<StoredPredictor>("""
            SELECT * FROM reaction_predictors FINAL
            WHERE cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
            ORDER BY project
            """, shards.Parameters, cancellationToken);

    private sealed record ReactedRow(
        string ConversationId, IReadOnlyList<RequestMessage> Request, string Response, string Model, string ModelVersion, bool Positive);
}
