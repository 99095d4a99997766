using System.Diagnostics;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;
using Feedback.Analytics.Topics;
using Feedback.Events;
using Feedback.Simulation;

/// <summary>
/// A full topic fit after a restart, at <c>turns</c> negative turns whose texts are all different: the vectors are
/// in the store (text_embeddings), none in memory. Embedding 200,000 new texts would take this machine about 20
/// minutes, so a first job stores random vectors under the encoder's name (the clustering is then meaningless, its
/// cost is not); the timed job is the real one, with MiniLM, and must embed nothing.
/// </summary>
internal static class TopicRestartThroughput
{
    public static async Task RunAsync(IClickHouse engine, int turns)
    {
        var project = "restart-" + Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var (events, _) = ComplaintTraffic.Generate(project, turns, seed: 3, start, TimeSpan.FromDays(28), positiveShare: 0);
        foreach (var e in events) // every text distinct, as real complaints are
        {
            if (e.Kind == EventKinds.Turn) e.Response += $" (ref {e.TurnId})";
            if (e.Comment is not null) e.Comment += $" #{e.TurnId}";
            if (e.Message is not null) e.Message += $" #{e.TurnId}";
        }
        foreach (var chunk in events.Chunk(20_000)) await engine.InsertAsync("events", chunk);
        await new TurnSignalsJob(engine, TimeProvider.System).DeriveAsync();

        var clock = Stopwatch.StartNew();
        using (var filling = new TopicJob(engine, new RandomVectors(MiniLmEmbedder.Shared.Model), ComplaintKinds.Shipped, new TopicOptions(), TimeProvider.System))
            await filling.RefitAsync(project);
        Console.WriteLine($"topics after a restart: {turns} turns' vectors stored (random, under the encoder's name) in {clock.Elapsed.TotalSeconds:0.0} s");

        var encoder = new CountingEncoder(MiniLmEmbedder.Shared);
        using var restarted = new TopicJob(engine, encoder, ComplaintKinds.Shipped, new TopicOptions(), TimeProvider.System);
        clock.Restart();
        var fitted = await restarted.RefitAsync(project);
        Console.WriteLine($"topics after a restart: full fit of {fitted.Assigned} negative turns with every vector read from the store: {clock.Elapsed.TotalSeconds:0.0} s; texts embedded: {encoder.Texts}");
    }

    private sealed class RandomVectors(string model) : ISentenceEmbedder
    {
        private readonly Random random = new(1);

        public string Model => model;

        public int Dimensions => MiniLmEmbedder.Size;

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts) =>
            texts.Select(_ =>
            {
                var v = Enumerable.Range(0, Dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
                var norm = MathF.Sqrt(v.Sum(x => x * x));
                return v.Select(x => x / norm).ToArray();
            }).ToList();
    }

    private sealed class CountingEncoder(ISentenceEmbedder encoder) : ISentenceEmbedder
    {
        public int Texts { get; private set; }

        public string Model => encoder.Model;

        public int Dimensions => encoder.Dimensions;

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
        {
            Texts += texts.Count;
            return encoder.Embed(texts);
        }
    }
}
