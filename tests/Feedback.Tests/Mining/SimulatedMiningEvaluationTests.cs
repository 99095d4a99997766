using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Simulation;

namespace Feedback.Tests.Mining;

/// <summary>
/// Simulated conversations with known ground truth through the real pipeline (events into the embedded store, one
/// mining run), scored against that truth (docs/mining.md, "Evaluation"). The floors sit below the measured
/// figures, so a change that costs precision or recall fails here.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class SimulatedMiningEvaluationTests(EmbeddedStore store)
{
    [Fact]
    public async Task Mining_simulated_sessions_is_precise_and_finds_most_expected_pairs()
    {
        var (project, _) = await store.NewProjectAsync();
        var simulation = ConversationSimulator.Run(new SimulationOptions { Seed = 3, Conversations = 1_500, Project = project });
        await new EventStore(store.Engine).AppendAsync(simulation.Events);

        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        var mined = await store.Engine.QueryAsync<PreferencePair>("SELECT * FROM pairs FINAL WHERE project = {project:String}", new { project });
        var score = PairEvaluation.Score(simulation.Pairs, mined);

        Assert.True(score.Overall.Expected > 500, score.ToMarkdown());
        Assert.True(score.Overall.Precision >= 0.95, score.ToMarkdown());
        Assert.True(score.Overall.Recall >= 0.9, score.ToMarkdown());
        Assert.All(score.Sources, s =>
        {
            Assert.True(s.Precision >= 0.9, score.ToMarkdown());
            Assert.True(s.Recall >= 0.6, score.ToMarkdown());
        });
        Assert.Equal(6, score.Sources.Count(s => s.Right > 0));
    }
}
