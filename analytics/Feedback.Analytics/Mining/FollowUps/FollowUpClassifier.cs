using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// Labels the user's next message (ML.NET multiclass maximum entropy over n-grams of the follow-up plus
/// <see cref="FollowUpCues"/>). The trained model ships in the assembly (followup-model.zip); `feedback train`
/// rebuilds it. Not thread-safe: one instance per thread.
/// </summary>
public sealed class FollowUpClassifier
{
    public const string ModelResource = "FollowUps/followup-model.zip";

    private readonly MLContext ml;
    private readonly ITransformer model;
    private readonly DataViewSchema schema;
    private readonly PredictionEngine<Input, Output> engine;
    private readonly string[] labels;
    private (PredictionEngine<Input, Output> Engine, Output Output)[]? workers;

    private FollowUpClassifier(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        (this.ml, this.model, this.schema) = (ml, model, schema);
        engine = ml.Model.CreatePredictionEngine<Input, Output>(model, schema);
        // The order of the probabilities is the order of the label key's values.
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        engine.OutputSchema[nameof(Output.Score)].GetSlotNames(ref names);
        labels = names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    /// <summary>The model shipped with the product.</summary>
    public static FollowUpClassifier LoadShipped()
    {
        using var stream = typeof(FollowUpClassifier).Assembly.GetManifestResourceStream(ModelResource)
            ?? throw new InvalidOperationException("The follow-up model is not embedded; run `feedback train`.");
        return Load(stream);
    }

    public static FollowUpClassifier Load(Stream model)
    {
        var ml = new MLContext(seed: 0);
        return new FollowUpClassifier(ml, ml.Model.Load(model, out var schema), schema);
    }

    public FollowUpPrediction Classify(FollowUp turn) => Predict(engine, turn, new Output());

    /// <summary>
    /// Classifies many follow-ups at once, on every core (one prediction engine per core over the same model);
    /// results in input order. Like <see cref="Classify"/>, not to be called from two threads at once.
    /// </summary>
    public IReadOnlyList<FollowUpPrediction> ClassifyAll(IReadOnlyList<FollowUp> turns)
    {
        // Each worker reuses one output: the engine writes into its score buffer, no allocation per prediction. A few
        // follow-ups are not worth the other engines.
        var on = turns.Count < 1_000
            ? [(engine, new Output())]
            : workers ??= Enumerable.Range(0, Environment.ProcessorCount).Select(_ => (ml.Model.CreatePredictionEngine<Input, Output>(model, schema), new Output())).ToArray();
        return PerCore.Map(turns, on, (worker, turn) => Predict(worker.Engine, turn, worker.Output));
    }

    private FollowUpPrediction Predict(PredictionEngine<Input, Output> on, FollowUp turn, Output output)
    {
        on.Predict(Input.From(turn, label: ""), ref output);
        var best = 0;
        for (var i = 1; i < output.Score.Length; i++)
            if (output.Score[i] > output.Score[best]) best = i;
        return new FollowUpPrediction(labels[best], output.Score[best]);
    }

    /// <summary>Trains on <paramref name="train"/> and writes the model zip. Seeded, so the result is repeatable.</summary>
    public static void Train(IEnumerable<LabelledFollowUp> train, Stream model)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(train.Select(e => Input.From(e.FollowUp, e.Label)));
        var text = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepPunctuations = true, // "?" matters
            StopWordsRemoverOptions = null, // "no", "not", "why" matter
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 4, UseAllLengths = false }, // survives typos
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Input.Label))
            .Append(ml.Transforms.Text.FeaturizeText("FollowupText", text, nameof(Input.Followup)))
            .Append(ml.Transforms.Concatenate("Features", "FollowupText", nameof(Input.Cues)))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(l2Regularization: 0.1f))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var trained = pipeline.Fit(data);
        ml.Model.Save(trained, data.Schema, model);
    }

    private sealed class Input
    {
        public string Followup { get; set; } = "";

        public string Label { get; set; } = "";

        [VectorType(FollowUpCues.Count)]
        public float[] Cues { get; set; } = [];

        public static Input From(FollowUp turn, string label) =>
            new() { Followup = turn.Followup, Label = label, Cues = FollowUpCues.Compute(turn) };
    }

    private sealed class Output
    {
        public float[] Score { get; set; } = [];
    }
}
