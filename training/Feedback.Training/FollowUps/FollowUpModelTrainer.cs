using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Feedback.Training.FollowUps;

/// <summary>
/// Trains one <see cref="FollowUpModel"/> over a feature set (ML.NET maximum entropy, seeded and on one thread, so
/// the same corpus gives the same model) and fits its temperature.
/// </summary>
internal static class FollowUpModelTrainer
{
    /// <summary>
    /// A model at temperature 1; <see cref="Calibrate"/> fits its temperature. With <paramref name="weights"/> (one per
    /// example) an example counts that many times in the loss; without, each counts once.
    /// </summary>
    public static FollowUpModel Train(IReadOnlyList<LabelledFollowUp> train, FollowUpFeatureSet features, ISentenceEmbedder? embedder,
        IReadOnlyList<float>? weights = null)
    {
        var ml = new MLContext(seed: 1);
        var turns = train.Select(e => e.FollowUp).ToList();
        var labels = train.Select(e => e.Label).ToList();
        var neighbours = features.Neighbours ? FollowUpNeighbours.From(embedder!.Embed(turns.Select(t => t.Followup).ToList()), labels) : null;
        var rows = FollowUpFeatures.For(turns, labels, features, embedder, neighbours, leaveOneOut: true);
        if (weights is not null)
            for (var i = 0; i < rows.Length; i++) rows[i].Weight = weights[i];
        var data = ml.Data.LoadFromEnumerable(rows);
        var columns = new List<string>();
        IEstimator<ITransformer> pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(FollowUpFeatures.Label));
        if (features.Ngrams)
        {
            var text = new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                KeepPunctuations = true, // "?" matters
                StopWordsRemoverOptions = null, // "no", "not", "why" matter
                WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
                CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 4, UseAllLengths = false }, // survives typos
            };
            pipeline = pipeline.Append(ml.Transforms.Text.FeaturizeText("FollowupText", text, nameof(FollowUpFeatures.Followup)));
            columns.Add("FollowupText");
        }
        columns.Add(nameof(FollowUpFeatures.Cues));
        if (features.Embedding) columns.Add(nameof(FollowUpFeatures.Embedding));
        if (features.Relations) columns.Add(nameof(FollowUpFeatures.Relations));
        if (features.Neighbours) columns.Add(nameof(FollowUpFeatures.Neighbours));
        pipeline = pipeline.Append(ml.Transforms.Concatenate("Features", [.. columns]))
            // One thread: L-BFGS sums its gradient in thread order, so several threads give a slightly different model each time.
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = 0.1f,
                NumberOfThreads = 1,
                ExampleWeightColumnName = weights is null ? null : nameof(FollowUpFeatures.Weight),
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var trained = pipeline.Fit(data);
        return new FollowUpModel(ml, trained, data.Schema, features, neighbours, temperature: 1);
    }

    /// <summary>Fits the temperature on a validation split (never the split that is reported).</summary>
    public static void Calibrate(FollowUpModel model, IReadOnlyList<LabelledFollowUp> validation, ISentenceEmbedder? embedder)
    {
        var probabilities = model.PredictAll(validation.Select(e => e.FollowUp).ToList(), embedder, calibrated: false);
        var labels = model.Labels.ToList();
        model.Temperature = TemperatureFitting.Fit(probabilities, validation.Select(e => labels.IndexOf(e.Label)).ToList());
    }
}
