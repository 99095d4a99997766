using Feedback.Analytics.Embeddings;

namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// The training follow-ups' embeddings with their labels: for a new follow-up, the mean similarity of its
/// <see cref="K"/> nearest training follow-ups of each label (in <see cref="FollowUpLabels.All"/> order). A linear
/// model over an embedding sees one direction per label; this lets it see "it reads like these complaints".
/// Stored as half-precision floats beside the model.
/// </summary>
internal sealed class FollowUpNeighbours(LabelledNeighbours neighbours)
{
    public const int K = 3; // chosen on validation: 3 (0.884), 7 (0.870), 15 (0.868) macro-F1

    /// <summary>Rounded to half precision here already, so training sees what a loaded model will.</summary>
    public static FollowUpNeighbours From(IReadOnlyList<float[]> vectors, IReadOnlyList<string> labels) =>
        new(LabelledNeighbours.From(vectors, labels.Select(IndexOf).ToList(), FollowUpLabels.All.Count));

    /// <summary>Per label, the mean similarity of the K nearest training follow-ups; <paramref name="exclude"/> leaves one out (training rows).</summary>
    public float[] Similarities(float[] embedding) => Similarities(embedding, exclude: -1);

    public float[] Similarities(float[] embedding, int exclude) => neighbours.MeanOfNearest(embedding, K, none: 0, exclude);

    public void Write(Stream stream)
    {
        using var writer = new BinaryWriter(stream);
        neighbours.Write(writer);
    }

    public static FollowUpNeighbours Read(Stream stream)
    {
        using var reader = new BinaryReader(stream);
        return new(LabelledNeighbours.Read(reader, FollowUpLabels.All.Count));
    }

    private static int IndexOf(string label)
    {
        for (var i = 0; i < FollowUpLabels.All.Count; i++)
            if (FollowUpLabels.All[i] == label) return i;
        throw new ArgumentException($"Unknown label '{label}'.", nameof(label));
    }
}
