using System.Diagnostics;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Store;

/// <summary>
/// What keeping vectors in the store costs and saves: a refit after a restart reads its turns' vectors instead of
/// embedding them again. Writes <c>texts</c> distinct texts' vectors (random unit vectors: the encoder's time is not
/// what is measured here) as the topic job does, batch by batch, then reads them all back in a new instance.
/// </summary>
internal static class StoredEmbeddingsThroughput
{
    public static async Task RunAsync(IClickHouse engine, int texts, int batchSize)
    {
        var project = "vectors-" + Guid.NewGuid().ToString("N")[..8];
        var all = Enumerable.Range(0, texts).Select(i => $"complaint number {i}: the answer was wrong").ToList();
        var writer = new StoredEmbeddings(engine, new RandomEncoder(), project);
        var clock = Stopwatch.StartNew();
        foreach (var batch in all.Chunk(batchSize))
        {
            await writer.LoadAsync(batch);
            writer.Embed(batch);
            await writer.SaveAsync(DateTimeOffset.UtcNow);
        }
        Console.WriteLine($"stored vectors: {texts} new texts looked up, embedded (random) and stored in {clock.Elapsed.TotalSeconds:0.0} s");

        var reader = new StoredEmbeddings(engine, new RandomEncoder(), project); // a restarted process
        clock.Restart();
        foreach (var batch in all.Chunk(batchSize))
        {
            await reader.LoadAsync(batch);
            reader.Embed(batch);
            if (reader.Embedded != 0) throw new InvalidOperationException("a stored vector was not found");
            await reader.SaveAsync(DateTimeOffset.UtcNow);
        }
        Console.WriteLine($"stored vectors: {texts} texts read back in {clock.Elapsed.TotalSeconds:0.0} s ({texts / clock.Elapsed.TotalSeconds:0} texts/s), none embedded");
    }

    private sealed class RandomEncoder : ISentenceEmbedder
    {
        private readonly Random random = new(1);

        public string Model => "random";

        public int Dimensions => MiniLmEmbedder.Size;

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts) =>
            texts.Select(_ =>
            {
                var v = Enumerable.Range(0, Dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
                var norm = MathF.Sqrt(v.Sum(x => x * x));
                return v.Select(x => x / norm).ToArray();
            }).ToList();
    }
}
