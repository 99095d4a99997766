namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// Which features one follow-up model reads. Every set has the hand-made <see cref="FollowUpCues"/>; on top:
/// word and character n-grams of the follow-up, its sentence embedding, the relations (embedding similarity of
/// the follow-up to the request and to the answer, and of the request to the answer), and the neighbours (per label,
/// how similar the nearest training follow-ups of that label are: <see cref="FollowUpNeighbours"/>).
/// </summary>
public sealed record FollowUpFeatureSet(string Name, bool Ngrams, bool Embedding, bool Relations, bool Neighbours = false)
{
    /// <summary>The cheap model: n-grams and cues, tens of thousands of follow-ups/s; decides alone when it is sure.</summary>
    public static FollowUpFeatureSet Cheap { get; } = new("ngrams+cues", Ngrams: true, Embedding: false, Relations: false);

    /// <summary>Every variant `feedback train` measures (docs/mining.md, "Variants").</summary>
    public static IReadOnlyList<FollowUpFeatureSet> Variants { get; } =
    [
        Cheap,
        new("embedding+cues", Ngrams: false, Embedding: true, Relations: false),
        new("embedding+relations+cues", Ngrams: false, Embedding: true, Relations: true),
        new("embedding+relations+ngrams+cues", Ngrams: true, Embedding: true, Relations: true),
        new("embedding+neighbours+ngrams+cues", Ngrams: true, Embedding: true, Relations: false, Neighbours: true),
        new("embedding+relations+neighbours+ngrams+cues", Ngrams: true, Embedding: true, Relations: true, Neighbours: true),
    ];

    public bool NeedsEncoder => Embedding || Relations || Neighbours;
}
