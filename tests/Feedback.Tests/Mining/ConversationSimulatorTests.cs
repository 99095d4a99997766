using System.Text.Json;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Events;
using Feedback.Simulation;

namespace Feedback.Tests.Mining;

/// <summary>The simulator alone (no store): seeded, every signal kind, ground truth consistent with its events.</summary>
public sealed class ConversationSimulatorTests
{
    private static readonly SimulatedRun Run = ConversationSimulator.Run(new SimulationOptions { Seed = 11, Conversations = 400 });

    [Fact]
    public void The_same_seed_gives_the_same_events_and_another_seed_other_events()
    {
        static string Json(int seed) => JsonSerializer.Serialize(
            ConversationSimulator.Run(new SimulationOptions { Seed = seed, Conversations = 50 }).Events, FeedbackJson.Options);

        Assert.Equal(Json(3), Json(3));
        Assert.NotEqual(Json(3), Json(4));
    }

    [Fact]
    public void Every_event_kind_and_every_pair_source_occurs()
    {
        // Every kind a user's behaviour makes; evaluations are an evaluator's, which the simulator has none of.
        Assert.Equal(EventKinds.All.Where(k => k != EventKinds.Evaluation).Order(), Run.Events.Select(e => e.Kind!).Distinct().Order());
        Assert.Equal(
            new[] { PairSources.Edit, PairSources.Choice, PairSources.Regenerate, PairSources.FollowUp, PairSources.SameRequest, PairSources.SameRequestRating }.Order(),
            Run.Pairs.Select(p => p.Source).Distinct().Order());
        Assert.Contains(Run.Events, e => e.Emoji is not null);
        Assert.Contains(Run.Events, e => e.Rating is not null);
        Assert.True(Run.Turns.Select(t => t.UserId).Distinct().Count() > 20);
        Assert.True(Run.Turns.Select(t => t.ModelVersion).Distinct().Count() > 1);
        Assert.Contains(Run.Turns, t => !t.Honest);
    }

    [Fact]
    public void Whitespace_only_edits_occur_and_are_never_expected_pairs()
    {
        var turns = Run.Events.Where(e => e.Kind == EventKinds.Turn).ToDictionary(e => e.TurnId!);
        var edits = Run.Events.Where(e => e.Kind == EventKinds.Edit).ToList();
        var whitespaceOnly = edits.Where(e => MiningText.SameIgnoringWhitespace(e.EditedResponse!, turns[e.TurnId!].Response!)).ToList();

        Assert.NotEmpty(whitespaceOnly);
        Assert.DoesNotContain(Run.Pairs, p => p.Source == PairSources.Edit && whitespaceOnly.Any(e => e.TurnId == p.TurnId));
        Assert.Equal(edits.Count - whitespaceOnly.Count, Run.Pairs.Count(p => p.Source == PairSources.Edit));
    }

    [Fact]
    public void Every_expected_pair_names_a_simulated_turn_and_rejects_its_answer_for_a_different_one()
    {
        var turns = Run.Turns.ToDictionary(t => t.TurnId);
        Assert.All(Run.Pairs, p =>
        {
            Assert.True(turns.ContainsKey(p.TurnId));
            Assert.DoesNotContain(p.Rejected, p.Chosen);
            if (p.Source != PairSources.Choice) Assert.Equal(turns[p.TurnId].Response, p.Rejected);
        });
    }
}
