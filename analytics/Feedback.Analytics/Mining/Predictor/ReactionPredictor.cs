using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace Feedback.Analytics.Mining.Predictor;

/// <summary>
/// P[positive]: the chance that an answer gets a positive explicit reaction (RLUF's P[Love]), from what is known
/// when the answer is given: the request, the answer, their lengths, the model and its version. Never the
/// reaction or any other feedback. ML.NET logistic regression (L-BFGS), so the score is a probability.
/// Not thread-safe: one instance per thread. Optimising a model for this score alone invites reward hacking
/// (docs/mining.md, "Reaction predictor").
/// </summary>
public sealed class ReactionPredictor
{
    /// <summary>Share of conversations held out for the AUC (by a hash of the conversation id, so turns of one conversation stay together).</summary>
    public const int HoldOutOneIn = 5;

    private readonly PredictionEngine<Input, Output>[] engines; // one per core

    private ReactionPredictor(MLContext ml, ITransformer model, DataViewSchema schema) =>
        engines = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => ml.Model.CreatePredictionEngine<Input, Output>(model, schema)).ToArray();

    public static ReactionPredictor Load(byte[] model)
    {
        var ml = new MLContext(seed: 0);
        using var stream = new MemoryStream(model);
        return new ReactionPredictor(ml, ml.Model.Load(stream, out var schema), schema);
    }

    /// <summary>P[positive] of many answers at once, on every core; in input order.</summary>
    public IReadOnlyList<float> PredictAll(IReadOnlyList<Answer> answers) => PerCore.Map(answers, engines, Predict);

    private static float Predict(PredictionEngine<Input, Output> engine, Answer answer) =>
        engine.Predict(Input.From(answer, positive: false)).Probability;

    /// <summary>
    /// Trains on the turns of four conversations in five and measures the AUC on the fifth. Seeded, so repeatable.
    /// Throws when either side lacks turns of both outcomes.
    /// </summary>
    public static TrainedPredictor Train(IReadOnlyList<ReactedAnswer> turns)
    {
        var test = turns.Where(t => HeldOut(t.Answer.ConversationId)).ToList();
        var train = turns.Where(t => !HeldOut(t.Answer.ConversationId)).ToList();
        if (!BothOutcomes(train) || !BothOutcomes(test))
            throw new InvalidOperationException(
                $"Training needs turns with positive and with negative reactions in both the training ({train.Count} turns) and the held-out conversations ({test.Count} turns).");

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(train.Select(t => Input.From(t.Answer, t.Positive)));
        var text = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = false },
        };
        var pipeline = ml.Transforms.Text.FeaturizeText("ResponseText", text, nameof(Input.Response))
            .Append(ml.Transforms.Text.FeaturizeText("RequestText", nameof(Input.Request)))
            .Append(ml.Transforms.Categorical.OneHotEncoding("ModelKey", nameof(Input.ModelVersion)))
            .Append(ml.Transforms.NormalizeMinMax("Sizes", nameof(Input.Sizes)))
            .Append(ml.Transforms.Concatenate("Features", "ResponseText", "RequestText", "ModelKey", "Sizes"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(nameof(Input.Label), "Features", l2Regularization: 1f));
        var model = pipeline.Fit(data);

        var metrics = ml.BinaryClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test.Select(t => Input.From(t.Answer, t.Positive)))));
        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        return new TrainedPredictor(zip.ToArray(), metrics.AreaUnderRocCurve, train.Count, test.Count, turns.Count(t => t.Positive) / (double)turns.Count);
    }

    public static bool HeldOut(string conversationId) =>
        BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(conversationId)), 0) % HoldOutOneIn == 0;

    private static bool BothOutcomes(List<ReactedAnswer> turns) => turns.Any(t => t.Positive) && turns.Any(t => !t.Positive);

    private sealed class Input
    {
        public string Request { get; set; } = "";

        public string Response { get; set; } = "";

        public string ModelVersion { get; set; } = "";

        /// <summary>log lengths of request and answer, and the answer's length relative to the request's.</summary>
        [VectorType(3)]
        public float[] Sizes { get; set; } = [];

        public bool Label { get; set; }

        public static Input From(Answer a, bool positive) => new()
        {
            Request = a.Request,
            Response = a.Response,
            ModelVersion = a.Model + "/" + a.ModelVersion,
            Sizes = [MathF.Log(1 + a.Request.Length), MathF.Log(1 + a.Response.Length), MathF.Log((1f + a.Response.Length) / (1 + a.Request.Length))],
            Label = positive,
        };
    }

    private sealed class Output
    {
        public float Probability { get; set; }
    }
}
