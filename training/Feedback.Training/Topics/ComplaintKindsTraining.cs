using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Topics;

namespace Feedback.Training.Topics;

/// <summary>What `feedback train-topics` does: <see cref="ComplaintKinds"/> built from labelled complaints.</summary>
public static class ComplaintKindsTraining
{
    /// <summary>The labelled complaints the shipped model is made of (training/topics/complaints.jsonl, in the assembly).</summary>
    public static IReadOnlyList<LabelledComplaint> Corpus()
    {
        using var stream = typeof(ComplaintKindsTraining).Assembly.GetManifestResourceStream("Topics/complaints.jsonl")!;
        return LabelledComplaint.Read(stream);
    }

    /// <summary>Embeds the labelled complaints; rounded to half precision here already, so it is what a loaded model holds.</summary>
    public static ComplaintKinds Build(IReadOnlyList<LabelledComplaint> corpus, ISentenceEmbedder embedder)
    {
        var kinds = corpus.Select(c => c.Theme).Distinct().Order(StringComparer.Ordinal).ToList();
        var vectors = ComplaintKinds.Vectors(corpus.Select(c => c.Text).ToList(), embedder).ToList();
        return new ComplaintKinds(kinds, LabelledNeighbours.From(vectors, corpus.Select(c => kinds.IndexOf(c.Theme)).ToList(), kinds.Count));
    }
}
