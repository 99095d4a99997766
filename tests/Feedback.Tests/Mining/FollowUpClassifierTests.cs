using Feedback.Analytics.Mining.FollowUps;
using Feedback.Training.FollowUps;

namespace Feedback.Tests.Mining;

/// <summary>
/// The shipped follow-up model: its figures on the independent held-out set (docs/mining.md, "Metrics") do not
/// regress, its confidence stays calibrated, the corpus keeps its shape, and obvious cases get their label.
/// </summary>
public sealed class FollowUpClassifierTests
{
    private static readonly Lazy<FollowUpClassifier> Shipped = new(FollowUpClassifier.LoadShipped);

    // The documented held-out figures (docs/mining.md), less a hair for floating-point differences between machines.
    private const double HeldoutMacroF1 = 0.900; // measured 0.914 (issue 11: the goal is 0.90)
    private const double HeldoutWeakestLabelF1 = 0.800;
    private const double HeldoutEce = 0.05;

    [Fact]
    public void The_shipped_model_keeps_its_documented_figures_on_the_independent_held_out_set()
    {
        var heldout = FollowUpCorpus.Load(FollowUpCorpus.Heldout);
        var predictions = Shipped.Value.ClassifyAll(heldout.Select(e => e.FollowUp).ToList());
        var model = FollowUpEvaluation.Model(predictions, heldout);
        var calibration = FollowUpEvaluation.Calibration(predictions, heldout);
        var baseline = FollowUpEvaluation.Baseline(heldout);

        Assert.True(heldout.Count >= 300);
        Assert.True(model.MacroF1 >= HeldoutMacroF1, $"macro-F1 {model.MacroF1:F3}\n{model.ToMarkdown()}");
        Assert.All(model.Labels, l => Assert.True(l.F1 >= HeldoutWeakestLabelF1, $"{l.Label} F1 {l.F1:F3}"));
        Assert.True(calibration.ExpectedCalibrationError <= HeldoutEce, calibration.ToMarkdown());
        Assert.True(model.MacroF1 >= baseline.MacroF1 + 0.3, $"model {model.MacroF1:F3} vs baseline {baseline.MacroF1:F3}");
    }

    [Fact]
    public void The_corpus_is_large_balanced_and_its_splits_share_no_follow_up()
    {
        var train = FollowUpCorpus.Load(FollowUpCorpus.Train);
        var validation = FollowUpCorpus.Load(FollowUpCorpus.Validation);
        var test = FollowUpCorpus.Load(FollowUpCorpus.Test);
        var all = train.Concat(validation).Concat(test).ToList();

        Assert.True(all.Select(e => Normalised(e.FollowUp.Followup)).Distinct().Count() >= 3000);
        Assert.All(FollowUpLabels.All, label => Assert.True(all.Count(e => e.Label == label) >= 400, label));
        foreach (var split in new[] { train, validation, test })
            Assert.Equal(FollowUpLabels.All.Order(), split.Select(e => e.Label).Distinct().Order());
        var trained = train.Select(e => Normalised(e.FollowUp.Followup)).ToHashSet();
        Assert.DoesNotContain(validation, e => trained.Contains(Normalised(e.FollowUp.Followup)));
        Assert.DoesNotContain(test, e => trained.Contains(Normalised(e.FollowUp.Followup)));
    }

    [Theory]
    [InlineData("Thank you so much, that worked perfectly!", "positive")]
    [InlineData("correct, thanks", "positive")]
    [InlineData("I meant: what is the capital city of Australia?", "rephrase")]
    [InlineData("No, it's Canberra, not Sydney.", "correction")]
    [InlineData("thanks, but Sydney is wrong, the capital is Canberra", "correction")]
    [InlineData("That's wrong.", "complaint")]
    [InlineData("this is useless", "complaint")]
    [InlineData("Are you sure about Sydney?", "clarification")]
    [InlineData("Now tell me three facts about New Zealand.", "none")]
    [InlineData("How do I bake sourdough bread?", "none")]
    public void Obvious_follow_ups_get_their_label(string followup, string label)
    {
        var prediction = Shipped.Value.Classify(new FollowUp("What's the capital of Australia?", "The capital of Australia is Sydney.", followup));
        Assert.Equal(label, prediction.Label);
        Assert.InRange(prediction.Confidence, 0f, 1f);
    }

    [Fact]
    public void Classifying_one_at_a_time_or_in_a_batch_gives_the_same_labels_and_confidences()
    {
        var examples = FollowUpCorpus.Load(FollowUpCorpus.Test).Take(40).Select(e => e.FollowUp).ToList();

        var batch = Shipped.Value.ClassifyAll(examples);
        var single = examples.Select(Shipped.Value.Classify).ToList();

        Assert.Equal(single.Select(p => p.Label), batch.Select(p => p.Label));
        Assert.All(single.Zip(batch), p => Assert.Equal(p.First.Confidence, p.Second.Confidence, 4));
    }

    private static string Normalised(string text) => new(text.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}
