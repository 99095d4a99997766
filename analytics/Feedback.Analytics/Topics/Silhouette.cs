using Microsoft.ML.Data;

namespace Feedback.Analytics.Topics;

/// <summary>
/// Mean silhouette of a clustering: for each point, how much nearer it is to its own cluster than to the next
/// nearest one, from −1 to 1. Used to choose k; the pairwise distances are computed once for all candidates.
/// </summary>
public static class Silhouette
{
    /// <summary>Euclidean distances between every pair (row-major, n × n).</summary>
    public static float[] Distances(IReadOnlyList<SparseVector> vectors)
    {
        var n = vectors.Count;
        var distances = new float[n * n];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var squared = vectors[i].SquaredNorm + vectors[j].SquaredNorm - 2 * vectors[i].Dot(vectors[j]);
                distances[i * n + j] = distances[j * n + i] = (float)Math.Sqrt(Math.Max(0, squared));
            }
        return distances;
    }

    public static double Mean(float[] distances, int[] labels, int k)
    {
        var n = labels.Length;
        var sizes = new int[k];
        foreach (var label in labels) sizes[label]++;
        var sums = new double[k];
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            Array.Clear(sums);
            for (var j = 0; j < n; j++) sums[labels[j]] += distances[i * n + j];
            var own = labels[i];
            if (sizes[own] <= 1) continue; // a singleton's silhouette is 0
            var a = sums[own] / (sizes[own] - 1);
            var b = double.MaxValue;
            for (var c = 0; c < k; c++)
                if (c != own && sizes[c] > 0) b = Math.Min(b, sums[c] / sizes[c]);
            if (b == double.MaxValue) continue;
            var spread = Math.Max(a, b);
            total += spread > 0 ? (b - a) / spread : 0;
        }
        return total / n;
    }
}

/// <summary>A feature vector by its non-zero entries, indices ascending.</summary>
public sealed class SparseVector
{
    private readonly int[] indices;
    private readonly float[] values;

    public SparseVector(int[] indices, float[] values)
    {
        (this.indices, this.values) = (indices, values);
        SquaredNorm = values.Sum(v => (double)v * v);
    }

    public double SquaredNorm { get; }

    public static SparseVector From(VBuffer<float> vector)
    {
        var values = vector.GetValues().ToArray();
        var indices = vector.IsDense ? Enumerable.Range(0, values.Length).ToArray() : vector.GetIndices().ToArray();
        var nonZero = Enumerable.Range(0, values.Length).Where(i => values[i] != 0).ToArray();
        return new SparseVector(nonZero.Select(i => indices[i]).ToArray(), nonZero.Select(i => values[i]).ToArray());
    }

    public double Dot(SparseVector other)
    {
        double sum = 0;
        int i = 0, j = 0;
        while (i < indices.Length && j < other.indices.Length)
        {
            if (indices[i] == other.indices[j]) sum += (double)values[i++] * other.values[j++];
            else if (indices[i] < other.indices[j]) i++;
            else j++;
        }
        return sum;
    }
}
