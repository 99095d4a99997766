using System.IO.Compression;
using Feedback.Analytics.Embeddings;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// One trained multiclass model over one <see cref="FollowUpFeatureSet"/> (ML.NET maximum entropy), with the
/// temperature that calibrates its probabilities. Trained in Feedback.Training; saved and loaded here, side by side,
/// so the bundle's format lives in one place. Not thread-safe for single predictions; <see cref="PredictAll"/> runs
/// one prediction engine per core.
/// </summary>
internal sealed class FollowUpModel
{
    private readonly MLContext ml;
    private readonly ITransformer model;
    private readonly DataViewSchema schema;
    private readonly PredictionEngine<FollowUpFeatures, Output> engine;
    private PredictionEngine<FollowUpFeatures, Output>[]? workers;

    private readonly FollowUpNeighbours? neighbours;

    /// <summary>A model trained (Feedback.Training) or loaded from a bundle, with the temperature that calibrates it.</summary>
    internal FollowUpModel(MLContext ml, ITransformer model, DataViewSchema schema, FollowUpFeatureSet features, FollowUpNeighbours? neighbours, float temperature)
    {
        (this.ml, this.model, this.schema, Features, this.neighbours, Temperature) = (ml, model, schema, features, neighbours, temperature);
        engine = ml.Model.CreatePredictionEngine<FollowUpFeatures, Output>(model, schema);
        // The order of the probabilities is the order of the label key's values.
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        engine.OutputSchema[nameof(Output.Score)].GetSlotNames(ref names);
        Labels = names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    public FollowUpFeatureSet Features { get; }

    /// <summary>1 until training fits it on validation.</summary>
    public float Temperature { get; set; }

    /// <summary>The labels in the order of a probability vector.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Probability vectors (in <see cref="Labels"/> order), calibrated unless asked otherwise; input order.</summary>
    public float[][] PredictAll(IReadOnlyList<FollowUp> turns, ISentenceEmbedder? embedder, bool calibrated = true)
    {
        var rows = FollowUpFeatures.For(turns, labels: null, Features, embedder, neighbours);
        // A few follow-ups are not worth the other engines.
        var on = rows.Length < 1_000
            ? [engine]
            : workers ??= Enumerable.Range(0, Environment.ProcessorCount).Select(_ => ml.Model.CreatePredictionEngine<FollowUpFeatures, Output>(model, schema)).ToArray();
        return PerCore.Map(rows, on, (worker, row) =>
        {
            var scores = worker.Predict(row).Score;
            if (!calibrated) return scores;
            var result = new float[scores.Length];
            TemperatureScaling.Apply(scores, Temperature, result);
            return result;
        });
    }

    /// <summary>The most probable label of a probability vector (in <see cref="Labels"/> order) with its probability.</summary>
    public FollowUpPrediction Best(float[] probabilities)
    {
        var best = 0;
        for (var i = 1; i < probabilities.Length; i++)
            if (probabilities[i] > probabilities[best]) best = i;
        return new FollowUpPrediction(Labels[best], probabilities[best]);
    }

    /// <summary>Writes <c>{name}.zip</c> (the ML.NET model) and, when it has them, <c>{name}.neighbours</c> into the bundle.</summary>
    public void Save(ZipArchive bundle, string name)
    {
        using (var target = Entry(bundle, $"{name}.zip", CompressionLevel.NoCompression)) // already a zip
        {
            // ML.NET writes through a seekable stream, and stamps its entries with the time: copied with a fixed one.
            using var buffer = new MemoryStream();
            ml.Model.Save(model, schema, buffer);
            using var saved = new ZipArchive(buffer, ZipArchiveMode.Read);
            using var copy = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var entry in saved.Entries)
            {
                using var from = entry.Open();
                using var to = Entry(copy, entry.FullName, CompressionLevel.Optimal);
                from.CopyTo(to);
            }
        }
        if (neighbours is not null)
        {
            using var target = Entry(bundle, $"{name}.neighbours", CompressionLevel.Optimal);
            neighbours.Write(target);
        }
    }

    public static FollowUpModel Load(ZipArchive bundle, string name, FollowUpFeatureSet features, float temperature)
    {
        var ml = new MLContext(seed: 0);
        using var buffer = new MemoryStream(); // ML.NET reads a seekable stream
        using (var source = bundle.GetEntry($"{name}.zip")!.Open()) source.CopyTo(buffer);
        buffer.Position = 0;
        FollowUpNeighbours? neighbours = null;
        if (features.Neighbours)
        {
            using var source = bundle.GetEntry($"{name}.neighbours")!.Open();
            neighbours = FollowUpNeighbours.Read(source);
        }
        return new FollowUpModel(ml, ml.Model.Load(buffer, out var schema), schema, features, neighbours, temperature);
    }

    /// <summary>A new entry of the bundle, with a fixed time, so that training twice writes the same bytes around the models.</summary>
    public static Stream Entry(ZipArchive bundle, string name, CompressionLevel compression)
    {
        var entry = bundle.CreateEntry(name, compression);
        entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return entry.Open();
    }

    private sealed class Output
    {
        public float[] Score { get; set; } = [];
    }
}
