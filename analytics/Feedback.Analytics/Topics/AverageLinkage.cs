using System.Numerics.Tensors;

namespace Feedback.Analytics.Topics;

/// <summary>
/// Agglomerative clustering of unit vectors with average linkage, cut where the mean cosine similarity between
/// two groups falls below a threshold: the number of clusters follows from how far apart the texts are, not from a
/// k given in advance, and a theme said in many wordings stays one group as long as its wordings are, on average,
/// nearer each other than other themes. Nearest-neighbour chain over the full similarity matrix: O(n²) time and
/// memory, so it runs on a sample (<see cref="TopicOptions.FitSample"/>, at most <see cref="MaxTurns"/>).
/// </summary>
internal static class AverageLinkage
{
    /// <summary>The most vectors clustered at once: the similarity matrix takes 4 n² bytes (400 MB here).</summary>
    public const int MaxTurns = 10_000;

    /// <summary>The cluster (0-based, in order of first member) of each vector.</summary>
    public static int[] Cluster(IReadOnlyList<float[]> vectors, float minSimilarity)
    {
        var n = vectors.Count;
        if (n > MaxTurns) throw new ArgumentOutOfRangeException(nameof(vectors), n, $"At most {MaxTurns} vectors are clustered at once.");
        var similarity = new float[n * n];
        Parallel.For(0, n, i =>
        {
            for (var j = 0; j < n; j++) similarity[i * n + j] = TensorPrimitives.Dot<float>(vectors[i], vectors[j]);
        });

        var active = Enumerable.Repeat(true, n).ToArray();
        var size = Enumerable.Repeat(1, n).ToArray();
        var parent = Enumerable.Range(0, n).ToArray();
        var chain = new List<int>(n);
        for (var remaining = n; remaining > 1;)
        {
            if (chain.Count == 0) chain.Add(Array.IndexOf(active, true));
            var a = chain[^1];
            var previous = chain.Count > 1 ? chain[^2] : -1;
            var b = previous;
            var best = previous >= 0 ? similarity[a * n + previous] : float.NegativeInfinity;
            for (var j = 0; j < n; j++)
                if (active[j] && j != a && similarity[a * n + j] > best)
                    (best, b) = (similarity[a * n + j], j);
            if (b < 0) b = Enumerable.Range(0, n).First(j => j != a && active[j]); // similarities that are not numbers: any other group
            if (b != previous)
            {
                chain.Add(b);
                continue;
            }

            // a and b are each other's nearest: merge b into a (Lance–Williams update for the mean similarity).
            chain.RemoveRange(chain.Count - 2, 2);
            if (best >= minSimilarity) parent[b] = a;
            for (var k = 0; k < n; k++)
            {
                if (!active[k] || k == a || k == b) continue;
                var merged = (size[a] * similarity[a * n + k] + size[b] * similarity[b * n + k]) / (size[a] + size[b]);
                similarity[a * n + k] = similarity[k * n + a] = merged;
            }
            size[a] += size[b];
            active[b] = false;
            remaining--;
        }

        // Average linkage has no inversions, so the merges at or above the threshold are exactly the cut tree.
        var labels = new int[n];
        var ids = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            var root = i;
            while (parent[root] != root) root = parent[root];
            labels[i] = ids.TryGetValue(root, out var id) ? id : ids[root] = ids.Count;
        }
        return labels;
    }
}
