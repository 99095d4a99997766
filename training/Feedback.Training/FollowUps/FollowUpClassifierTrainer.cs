using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Training.FollowUps;

/// <summary>Trains the two models of a <see cref="FollowUpClassifier"/> and writes its bundle (what `feedback train` ships).</summary>
public static class FollowUpClassifierTrainer
{
    /// <summary>
    /// Trains both models on <paramref name="train"/>, calibrates each on <paramref name="validation"/>, and writes
    /// the bundle. With <paramref name="cascade"/> the cheap model decides alone above a threshold chosen on
    /// validation; without it (the shipped default) the semantic model decides every follow-up. Seeded, so the
    /// result is repeatable. <paramref name="weights"/> (one per training example) make some examples count more: a
    /// project's reviewed follow-ups (<see cref="ProjectFollowUpTraining"/>).
    /// </summary>
    public static FollowUpClassifier Train(IReadOnlyList<LabelledFollowUp> train, IReadOnlyList<LabelledFollowUp> validation,
        FollowUpFeatureSet semanticFeatures, ISentenceEmbedder embedder, Stream bundle, bool cascade = false, IReadOnlyList<float>? weights = null)
    {
        var cheap = FollowUpModelTrainer.Train(train, FollowUpFeatureSet.Cheap, embedder, weights);
        FollowUpModelTrainer.Calibrate(cheap, validation, embedder);
        var semantic = FollowUpModelTrainer.Train(train, semanticFeatures, embedder, weights);
        FollowUpModelTrainer.Calibrate(semantic, validation, embedder);
        var threshold = cascade ? ChooseThreshold(cheap, semantic, validation, embedder) : FollowUpClassifier.Never;
        var classifier = new FollowUpClassifier(cheap, semantic, threshold, embedder);
        classifier.Save(bundle);
        return classifier;
    }

    /// <summary>
    /// The lowest threshold at which the cascade keeps the semantic model's macro-F1 on validation: the cheap model
    /// then decides only what it is as good at, at a fraction of the cost.
    /// </summary>
    private static float ChooseThreshold(FollowUpModel cheap, FollowUpModel semantic, IReadOnlyList<LabelledFollowUp> validation, ISentenceEmbedder embedder)
    {
        var turns = validation.Select(e => e.FollowUp).ToList();
        var gold = validation.Select(e => e.Label).ToList();
        var fromCheap = cheap.PredictAll(turns, embedder).Select(cheap.Best).ToList();
        var fromSemantic = semantic.PredictAll(turns, embedder).Select(p => semantic.Best(p).Label).ToList();
        var goal = ClassificationReport.Compute(gold, fromSemantic).MacroF1;
        foreach (var threshold in Enumerable.Range(50, 51).Select(t => t / 100f))
        {
            var cascade = fromCheap.Select((c, i) => c.Confidence >= threshold ? c.Label : fromSemantic[i]).ToList();
            if (ClassificationReport.Compute(gold, cascade).MacroF1 >= goal) return threshold;
        }
        return FollowUpClassifier.Never;
    }
}
