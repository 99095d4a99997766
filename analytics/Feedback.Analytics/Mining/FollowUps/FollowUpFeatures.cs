using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Feedback.Analytics.Embeddings;
using Microsoft.ML.Data;

namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// One follow-up as a model reads it: its text (for n-grams), the cues, and, when the feature set asks for them,
/// its sentence embedding and the relations between follow-up, request and answer. Built for a whole batch, so the
/// encoder embeds each distinct text once.
/// </summary>
internal sealed class FollowUpFeatures
{
    public const int RelationCount = 3;
    public const int NeighbourCount = 6; // one per label

    private static readonly float[] NoEmbedding = new float[MiniLmEmbedder.Size];
    private static readonly float[] NoRelations = new float[RelationCount];
    private static readonly float[] NoNeighbours = new float[NeighbourCount];

    public string Followup { get; set; } = "";

    public string Label { get; set; } = "";

    /// <summary>How much the row counts in training: 1, more for a project's reviewed follow-ups (Feedback.Training).</summary>
    public float Weight { get; set; } = 1;

    [VectorType(FollowUpCues.Count)]
    public float[] Cues { get; set; } = [];

    [VectorType(MiniLmEmbedder.Size)]
    public float[] Embedding { get; set; } = NoEmbedding;

    /// <summary>cos(follow-up, request), cos(follow-up, answer), cos(request, answer).</summary>
    [VectorType(RelationCount)]
    public float[] Relations { get; set; } = NoRelations;

    /// <summary>Per label, the mean similarity of the nearest training follow-ups of that label.</summary>
    [VectorType(NeighbourCount)]
    public float[] Neighbours { get; set; } = NoNeighbours;

    /// <param name="neighbours">The training follow-ups, when the set reads them.</param>
    /// <param name="leaveOneOut">The turns are that training set itself: each row's own example is left out.</param>
    public static FollowUpFeatures[] For(IReadOnlyList<FollowUp> turns, IReadOnlyList<string>? labels, FollowUpFeatureSet set, ISentenceEmbedder? embedder,
        FollowUpNeighbours? neighbours = null, bool leaveOneOut = false)
    {
        var rows = turns.Select((t, i) => new FollowUpFeatures { Followup = t.Followup, Label = labels?[i] ?? "", Cues = FollowUpCues.Compute(t) }).ToArray();
        if (!set.NeedsEncoder) return rows;
        if (embedder is null) throw new InvalidOperationException($"The feature set '{set.Name}' needs a sentence embedder.");
        var followups = embedder.Embed(turns.Select(t => t.Followup).ToList());
        IReadOnlyList<float[]>? prompts = null, responses = null;
        if (set.Relations)
        {
            prompts = embedder.Embed(turns.Select(t => TextOpening.Of(t.Prompt)).ToList());
            responses = embedder.Embed(turns.Select(t => TextOpening.Of(t.Response)).ToList());
        }
        if (set.Neighbours && neighbours is null) throw new InvalidOperationException($"The feature set '{set.Name}' needs the training follow-ups.");
        // The embedder hands out one vector per distinct text, so a text's neighbours are looked up once per batch.
        var known = new ConcurrentDictionary<float[], float[]>(ReferenceEqualityComparer.Instance);
        Parallel.For(0, rows.Length, i => // the neighbours compare with every training follow-up
        {
            if (set.Embedding) rows[i].Embedding = followups[i];
            if (set.Neighbours)
                rows[i].Neighbours = leaveOneOut ? neighbours!.Similarities(followups[i], exclude: i) : known.GetOrAdd(followups[i], neighbours!.Similarities);
            if (prompts is not null && responses is not null)
                rows[i].Relations = [Cosine(followups[i], prompts[i]), Cosine(followups[i], responses[i]), Cosine(prompts[i], responses[i])];
        });
        return rows;
    }

    // The embedder's vectors have unit length: their dot product is the cosine.
    private static float Cosine(float[] a, float[] b) => TensorPrimitives.Dot<float>(a, b);
}
