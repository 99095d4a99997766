using System.Numerics.Tensors;

namespace Feedback.Analytics.Embeddings;

/// <summary>
/// Labelled unit vectors, kept in half precision, and for a new vector the mean similarity of its k nearest of each
/// label: how the follow-up classifier sees "it reads like these complaints" and how topics see a complaint's kind
/// of failure. Stored as the count, the size, then per vector its label (a byte) and its values (halves).
/// </summary>
internal sealed class LabelledNeighbours
{
    private readonly IReadOnlyList<float[]> vectors;
    private readonly IReadOnlyList<int> labels;
    private readonly int labelCount;

    private LabelledNeighbours(IReadOnlyList<float[]> vectors, IReadOnlyList<int> labels, int labelCount) =>
        (this.vectors, this.labels, this.labelCount) = (vectors, labels, labelCount);

    /// <summary>The vectors, as held (for tests).</summary>
    public IReadOnlyList<float[]> Vectors => vectors;

    /// <summary>Rounded to half precision here already, so what is built is what a loaded copy holds.</summary>
    public static LabelledNeighbours From(IReadOnlyList<float[]> vectors, IReadOnlyList<int> labels, int labelCount) =>
        new(vectors.Select(v => v.Select(x => (float)(Half)x).ToArray()).ToList(), labels, labelCount);

    /// <summary>
    /// Per label (0 to labelCount − 1), the mean similarity of the <paramref name="k"/> nearest vectors of that label,
    /// or <paramref name="none"/> for a label without vectors; <paramref name="exclude"/> leaves one vector out (a
    /// training row's own).
    /// </summary>
    public float[] MeanOfNearest(float[] vector, int k, float none, int exclude = -1)
    {
        var best = new List<float>[labelCount];
        for (var l = 0; l < best.Length; l++) best[l] = new List<float>(k + 1);
        for (var i = 0; i < vectors.Count; i++)
        {
            if (i == exclude) continue;
            var top = best[labels[i]];
            var similarity = TensorPrimitives.Dot<float>(vector, vectors[i]);
            if (top.Count == k && similarity <= top[^1]) continue;
            var at = top.FindIndex(s => s < similarity);
            top.Insert(at < 0 ? top.Count : at, similarity);
            if (top.Count > k) top.RemoveAt(k);
        }
        return best.Select(top => top.Count == 0 ? none : top.Average()).ToArray();
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(vectors.Count);
        writer.Write(vectors.Count == 0 ? 0 : vectors[0].Length);
        for (var i = 0; i < vectors.Count; i++)
        {
            writer.Write((byte)labels[i]);
            foreach (var value in vectors[i]) writer.Write((Half)value);
        }
    }

    public static LabelledNeighbours Read(BinaryReader reader, int labelCount)
    {
        var count = reader.ReadInt32();
        var size = reader.ReadInt32();
        var vectors = new float[count][];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = reader.ReadByte();
            vectors[i] = new float[size];
            for (var j = 0; j < size; j++) vectors[i][j] = (float)reader.ReadHalf();
        }
        return new LabelledNeighbours(vectors, labels, labelCount);
    }
}
