using System.Diagnostics;
using System.Globalization;
using System.Text;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Training.FollowUps;

/// <summary>
/// The quality/throughput table of docs/mining.md: each feature set trained on train, calibrated on validation, and
/// measured on validation (what the choice of the shipped set rests on), on the held-out set (macro-F1, weakest
/// label, ECE) and for speed (follow-ups/s with a cold embedding cache, i.e. every text new, on every core), next to
/// the cascade and the keyword baseline.
/// </summary>
public static class FollowUpVariants
{
    public static string Measure(IReadOnlyList<LabelledFollowUp> train, IReadOnlyList<LabelledFollowUp> validation,
        IReadOnlyList<LabelledFollowUp> heldout, FollowUpFeatureSet semantic)
    {
        var table = new StringBuilder("| variant | validation macro-F1 | held-out macro-F1 | weakest label F1 | ECE | follow-ups/s (cold cache) |\n|---|---|---|---|---|---|\n");
        var turns = heldout.Select(e => e.FollowUp).ToList();
        foreach (var features in FollowUpFeatureSet.Variants)
        {
            var model = FollowUpModelTrainer.Train(train, features, MiniLmEmbedder.Shared);
            FollowUpModelTrainer.Calibrate(model, validation, MiniLmEmbedder.Shared);
            var cold = new MiniLmEmbedder();
            var clock = Stopwatch.StartNew();
            var predictions = model.PredictAll(turns, cold).Select(model.Best).ToList();
            clock.Stop();
            var chosenOn = FollowUpEvaluation.Model(model.PredictAll(validation.Select(e => e.FollowUp).ToList(), MiniLmEmbedder.Shared).Select(model.Best).ToList(), validation);
            Row(table, features.Name, chosenOn, predictions, heldout, clock.Elapsed);
        }
        // The cascade over the semantic set, its threshold chosen on validation, measured like the rest.
        FollowUpClassifier classifier;
        using (var bundle = new MemoryStream())
        {
            FollowUpClassifierTrainer.Train(train, validation, semantic, MiniLmEmbedder.Shared, bundle, cascade: true);
            bundle.Position = 0;
            classifier = FollowUpClassifier.Load(bundle, new MiniLmEmbedder());
        }
        var timer = Stopwatch.StartNew();
        var fromCascade = classifier.ClassifyAll(turns);
        timer.Stop();
        Row(table, $"cascade (cheap decides at ≥ {classifier.CascadeThreshold:F2})", FollowUpEvaluation.Model(classifier, validation), fromCascade, heldout, timer.Elapsed);
        var baseline = FollowUpEvaluation.Baseline(heldout);
        table.Append(CultureInfo.InvariantCulture,
            $"| keyword baseline | {FollowUpEvaluation.Baseline(validation).MacroF1:F3} | {baseline.MacroF1:F3} | {baseline.Labels.Min(l => l.F1):F3} | | |\n");
        return table.ToString();
    }

    private static void Row(StringBuilder table, string name, ClassificationReport validation, IReadOnlyList<FollowUpPrediction> predictions,
        IReadOnlyList<LabelledFollowUp> heldout, TimeSpan took)
    {
        var report = FollowUpEvaluation.Model(predictions, heldout);
        var calibration = FollowUpEvaluation.Calibration(predictions, heldout);
        table.Append(CultureInfo.InvariantCulture,
            $"| {name} | {validation.MacroF1:F3} | {report.MacroF1:F3} | {report.Labels.Min(l => l.F1):F3} | {calibration.ExpectedCalibrationError:F3} | {predictions.Count / took.TotalSeconds:N0} |\n");
    }
}
