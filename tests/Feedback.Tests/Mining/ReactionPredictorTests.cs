using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.Predictor;
using Feedback.Events;
using static Feedback.Tests.Mining.StoredEvents;

namespace Feedback.Tests.Mining;

/// <summary>The reaction predictor trained and used through the real embedded store, on seeded conversations.</summary>
[Collection(SharedStore.Name)]
public sealed class ReactionPredictorTests(EmbeddedStore store)
{
    private static readonly string[] Good =
    [
        "Canberra is the capital; it was chosen as a compromise between Sydney and Melbourne.",
        "Use a dictionary comprehension: {k: v for k, v in pairs}. It builds the dict in one pass.",
        "Boil it for six minutes, then cool it in cold water so the yolk stays runny.",
        "The answer is 12, because 15% of 80 is 0.15 times 80.",
    ];

    private static readonly string[] Bad = ["I am not sure.", "Sydney.", "Maybe ask someone else.", "It depends."];

    [Fact]
    public async Task It_learns_from_reacted_turns_reports_a_held_out_auc_and_scores_the_rest()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Conversations(project, seed: 7, count: 300));
        await Over().RunAsync();

        var trained = await new ReactionPredictors(store.Engine, TimeProvider.System).TrainAsync(project);
        var result = await Over().RunAsync();
        var scores = await store.Engine.QueryAsync<TurnPrediction>(
            "SELECT * FROM turn_predictions FINAL WHERE project = {project:String}", new { project });
        var reacted = await store.Engine.QueryAsync<TurnIdRow>(
            "SELECT turn_id FROM turn_signals FINAL WHERE project = {project:String} AND reaction_polarity != 0", new { project });

        Assert.InRange(trained.Auc, 0.75, 1.0); // 5 % of the reactions are flipped: a perfect model scores about 0.95
        Assert.True(trained.TestTurns > 0 && trained.TrainTurns > trained.TestTurns);
        Assert.True(result.TurnsScored >= scores.Count);
        Assert.NotEmpty(scores);
        Assert.Empty(scores.Select(s => s.TurnId).Intersect(reacted.Select(r => r.TurnId))); // only turns without reactions
        var good = scores.Where(s => s.TurnId.EndsWith("-good", StringComparison.Ordinal)).Average(s => s.PPositive);
        var bad = scores.Where(s => s.TurnId.EndsWith("-bad", StringComparison.Ordinal)).Average(s => s.PPositive);
        Assert.True(good > bad + 0.2, $"good {good}, bad {bad}");
        Assert.Equal(0, (await Over().RunAsync()).TurnsScored); // nothing new: nothing re-scored
    }

    [Fact]
    public async Task Small_batches_score_every_turn_without_a_reaction_once_and_later_runs_only_new_ones()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Conversations(project, seed: 11, count: 80));
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();
        var predictors = new ReactionPredictors(store.Engine, TimeProvider.System);
        await predictors.TrainAsync(project);
        var job = new TurnScoringJob(store.Engine, predictors, TimeProvider.System, batchSize: 7);

        await job.ScoreAsync();
        var unreacted = await TurnIdsAsync("SELECT turn_id FROM turn_signals FINAL WHERE project = {project:String} AND reaction_polarity = 0 ORDER BY turn_id", project);
        var scored = await TurnIdsAsync("SELECT turn_id FROM turn_predictions WHERE project = {project:String} ORDER BY turn_id", project);
        Assert.True(unreacted.Count > 3 * 7, $"{unreacted.Count} turns without a reaction: too few for several batches");
        Assert.Equal(unreacted, scored); // each exactly once: batches neither overlap nor skip

        // New turns sort before and after the ones scored: the next run starts from the first turn id again.
        await InsertAsync(Turn(project, "a-new"), Turn(project, "z-new"));
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();
        await job.ScoreAsync();

        Assert.Equal(unreacted.Append("a-new").Append("z-new").Order(StringComparer.Ordinal), await TurnIdsAsync(
            "SELECT turn_id FROM turn_predictions WHERE project = {project:String} ORDER BY turn_id", project));
    }

    private async Task<List<string>> TurnIdsAsync(string sql, string project) =>
        (await store.Engine.QueryAsync<TurnIdRow>(sql, new { project })).Select(r => r.TurnId).ToList();

    [Fact]
    public async Task Training_without_both_outcomes_is_refused_with_a_reason()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Turn(project, "t1"), FeedbackOn(project, EventKinds.Reaction, "t1", e => e.Thumb = Thumbs.Up));
        await Over().RunAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => new ReactionPredictors(store.Engine, TimeProvider.System).TrainAsync(project));

        Assert.Contains("positive and with negative reactions", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Seeded conversations: answers good or bad by their text; good ones get a thumb up 95 % of the time when
    /// reacted to, bad ones a thumb down; a third of the turns get no reaction (the ones to score).
    /// </summary>
    internal static FeedbackEvent[] Conversations(string project, int seed, int count)
    {
        var rng = new Random(seed);
        var events = new List<FeedbackEvent>();
        for (var c = 0; c < count; c++)
        {
            var good = rng.NextDouble() < 0.5;
            var turnId = $"c{c}-{(good ? "good" : "bad")}";
            var turn = Turn(project, turnId, response: good ? Good[rng.Next(Good.Length)] : Bad[rng.Next(Bad.Length)], prompt: "question " + rng.Next(10));
            turn.ConversationId = "conv-" + c;
            events.Add(turn);
            if (rng.NextDouble() < 0.33) continue;
            var positive = rng.NextDouble() < 0.95 ? good : !good;
            events.Add(FeedbackOn(project, EventKinds.Reaction, turnId, e => e.Thumb = positive ? Thumbs.Up : Thumbs.Down));
        }
        return [.. events];
    }

    private MiningJob Over() => MiningJob.Over(store.Engine, TimeProvider.System);

    private Task InsertAsync(params FeedbackEvent[] events) => store.Engine.InsertAsync("events", events);

    private sealed record TurnIdRow(string TurnId);
}
