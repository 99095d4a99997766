using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Model;
using Feedback.Simulation;

namespace Feedback.Tests.Mining;

/// <summary>Unpaired labels against the simulator's hidden truth (is the answer good?), through the real store.</summary>
[Collection(SharedStore.Name)]
public sealed class LabelTruthTests(EmbeddedStore store)
{
    [Fact]
    public async Task Labels_agree_with_the_hidden_quality_of_the_answers()
    {
        var (project, _) = await store.NewProjectAsync();
        var simulation = ConversationSimulator.Run(new SimulationOptions { Seed = 5, Conversations = 400, Project = project });
        await store.Engine.InsertAsync("events", simulation.Events);

        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        var labels = await store.Engine.QueryAsync<TurnLabel>(
            "SELECT * FROM turn_labels FINAL WHERE project = {project:String} AND label != 0", new { project });
        var truth = simulation.Turns.ToDictionary(t => t.TurnId);

        var positive = labels.Where(l => l.Label > 0).ToList();
        var negative = labels.Where(l => l.Label < 0).ToList();
        var positivePrecision = positive.Count(l => truth[l.TurnId].Good) / (double)positive.Count;
        var negativePrecision = negative.Count(l => !truth[l.TurnId].Good) / (double)negative.Count;
        Assert.True(positivePrecision >= 0.9 && negativePrecision >= 0.9,
            $"{positive.Count} positive labels, precision {positivePrecision:0.000}; {negative.Count} negative, precision {negativePrecision:0.000}");
    }
}
