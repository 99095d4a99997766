using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Tests.Mining;

/// <summary>The shipped follow-up model: loads, beats the keyword baseline on the held-out test split, gets obvious cases right.</summary>
public sealed class FollowUpClassifierTests
{
    private static readonly Lazy<FollowUpClassifier> Shipped = new(FollowUpClassifier.LoadShipped);

    [Fact]
    public void The_shipped_model_is_clearly_better_than_the_keyword_baseline_on_the_test_split()
    {
        var test = FollowUpCorpus.Load(FollowUpCorpus.Test);
        var model = FollowUpEvaluation.Model(Shipped.Value, test);
        var baseline = FollowUpEvaluation.Baseline(test);

        Assert.True(model.MacroF1 >= 0.85, $"macro-F1 {model.MacroF1:F3}\n{model.ToMarkdown()}");
        Assert.True(model.MacroF1 >= baseline.MacroF1 + 0.15, $"model {model.MacroF1:F3} vs baseline {baseline.MacroF1:F3}");
        Assert.All(model.Labels, l => Assert.True(l.F1 >= 0.7, $"{l.Label} F1 {l.F1:F3}"));
    }

    [Fact]
    public void The_corpus_splits_are_fixed_balanced_and_do_not_share_scenarios()
    {
        var train = FollowUpCorpus.Load(FollowUpCorpus.Train);
        var validation = FollowUpCorpus.Load(FollowUpCorpus.Validation);
        var test = FollowUpCorpus.Load(FollowUpCorpus.Test);

        Assert.True(train.Count + validation.Count + test.Count >= 1500);
        foreach (var split in new[] { train, validation, test })
            Assert.Equal(FollowUpLabels.All.Order(), split.Select(e => e.Label).Distinct().Order());
        var trainPrompts = train.Select(e => e.FollowUp.Prompt).ToHashSet();
        Assert.DoesNotContain(test, e => trainPrompts.Contains(e.FollowUp.Prompt));
        Assert.DoesNotContain(validation, e => trainPrompts.Contains(e.FollowUp.Prompt));
    }

    [Theory]
    [InlineData("Thank you so much, that worked perfectly!", "positive")]
    [InlineData("great, exactly what I needed", "positive")]
    [InlineData("I meant: what is the capital city of Australia?", "rephrase")]
    [InlineData("That's not what I asked. Which city is Australia's capital?", "rephrase")]
    [InlineData("No, it's Canberra, not Sydney.", "correction")]
    [InlineData("thanks, but Sydney is wrong, the capital is Canberra", "correction")]
    [InlineData("That's wrong.", "complaint")]
    [InlineData("this is useless", "complaint")]
    [InlineData("Are you sure about Sydney?", "clarification")]
    [InlineData("why?", "clarification")]
    [InlineData("Now tell me three facts about New Zealand.", "none")]
    [InlineData("How do I bake sourdough bread?", "none")]
    public void Obvious_follow_ups_get_their_label(string followup, string label)
    {
        var prediction = Shipped.Value.Classify(new FollowUp("What's the capital of Australia?", "The capital of Australia is Sydney.", followup));
        Assert.Equal(label, prediction.Label);
        Assert.InRange(prediction.Confidence, 0f, 1f);
    }
}
