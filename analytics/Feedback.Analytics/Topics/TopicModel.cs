using System.Numerics.Tensors;
using Feedback.Analytics.Embeddings;

namespace Feedback.Analytics.Topics;

/// <summary>
/// Topics of complaint. A negative turn is seen by its kind of failure (<see cref="ComplaintKinds"/>: √ of the
/// kinds' probabilities, weighted <see cref="TopicOptions.KindWeight"/>) beside the embedding of the user's words
/// (plus, weighted <see cref="TopicOptions.RequestWeight"/>, the request's): two complaints about the same thing are
/// near even when they share no word, which word counts over short texts cannot see. A fit clusters the turns it
/// is given (<see cref="TopicJob"/> gives it a sample) by average linkage cut at
/// <see cref="TopicOptions.MinSimilarity"/> (so the number of topics follows from the data), keeps the clusters of
/// at least <see cref="TopicOptions.MinTopicShare"/>, refines their centres, and merges centres nearer than
/// <see cref="TopicOptions.MergeSimilarity"/>. A turn belongs to its nearest centre, or to "other" (cluster −1) when
/// no centre reaches <see cref="TopicOptions.OtherBelow"/>: an odd complaint is not forced into a theme.
/// Deterministic: the same texts give the same topics.
/// </summary>
public sealed class TopicModel
{
    /// <summary>The cluster of turns near no topic.</summary>
    public const int Other = -1;

    private const string Magic = "FBTOPIC3";
    private const int RefineRounds = 3;

    private readonly ISentenceEmbedder embedder;
    private readonly ComplaintKinds kinds;
    private readonly Settings settings;
    private readonly IReadOnlyList<float[]> centres;

    private TopicModel(
        ISentenceEmbedder embedder, ComplaintKinds kinds, Settings settings, IReadOnlyList<float[]> centres, IReadOnlyList<IReadOnlyList<string>> terms,
        IReadOnlyList<string>? labels = null, IReadOnlyList<IReadOnlyList<string>>? examples = null)
    {
        this.embedder = embedder;
        this.kinds = kinds;
        this.settings = settings;
        this.centres = centres;
        Terms = terms;
        Labels = labels ?? [];
        Examples = examples ?? [];
    }

    /// <summary>Each cluster's fitted turns nearest its centre (the user's words), at most five (empty for a model loaded from the store).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Examples { get; }

    /// <summary>
    /// Each cluster's readable label (empty for a model loaded from the store): the kind of failure most of its turns
    /// are about, when one kind has at least <see cref="LabelKindShare"/> of their probability (or the cluster has no
    /// distinctive term), then its two most distinctive terms; otherwise its three most distinctive terms.
    /// </summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The mean probability a kind needs over a cluster's turns to name it.</summary>
    public const double LabelKindShare = 0.4;

    /// <summary>The distinctive terms of each cluster, best first (empty for a model loaded from the store).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Terms { get; }

    /// <summary>How many topics (clusters 0 to Count − 1; <see cref="Other"/> is not one of them).</summary>
    public int Count => centres.Count;

    public static TopicModel Fit(IReadOnlyList<TurnText> texts, ISentenceEmbedder embedder, ComplaintKinds kinds, TopicOptions options)
    {
        var settings = new Settings((float)options.RequestWeight, (float)options.KindWeight, (float)options.OtherBelow);
        var probabilities = kinds.Probabilities(texts, embedder);
        var vectors = Vectors(texts, probabilities, embedder, settings);
        var linked = AverageLinkage.Cluster(vectors, (float)options.MinSimilarity);
        var minSize = Math.Max(3, (int)Math.Ceiling(options.MinTopicShare * texts.Count));
        var centres = linked.Select((cluster, i) => (cluster, i)).GroupBy(x => x.cluster)
            .Where(g => g.Count() >= minSize)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Take(options.MaxTopics)
            .Select(g => Centre(g.Select(x => vectors[x.i])))
            .ToList();

        // The linkage saw a sample's tree; a few rounds of nearest-centre assignment let every turn settle where it is
        // nearest, then centres that ended up saying the same thing become one.
        var model = new TopicModel(embedder, kinds, settings, centres, []);
        for (var round = 0; round < RefineRounds; round++)
        {
            var nearest = vectors.Select(model.Nearest).ToList();
            var kept = Enumerable.Range(0, centres.Count)
                .Select(c => vectors.Where((_, i) => nearest[i].Cluster == c).ToList())
                .Where(members => members.Count >= minSize)
                .Select(members => (Centre: Centre(members), Size: members.Count))
                .ToList();
            centres = Merge(kept, (float)options.MergeSimilarity);
            model = new TopicModel(embedder, kinds, settings, centres, []);
        }

        // The last merge can leave a centre with few turns or none: it is no topic either.
        var final = vectors.Select(model.Nearest).ToList();
        centres = Enumerable.Range(0, centres.Count).Where(c => final.Count(n => n.Cluster == c) >= minSize).Select(c => centres[c]).ToList();
        model = new TopicModel(embedder, kinds, settings, centres, []);
        var nearestOf = vectors.Select(model.Nearest).ToList();
        var clusters = nearestOf.Select(n => n.Cluster).ToList();
        var words = texts.Select(t => t.Feedback).ToList(); // a thumb down without words says nothing to name a topic by
        var terms = TopicTerms.Distinctive(words, clusters, centres.Count, options.Terms);
        var labels = Enumerable.Range(0, centres.Count).Select(c =>
        {
            var members = Enumerable.Range(0, texts.Count).Where(i => clusters[i] == c).ToList();
            var share = Enumerable.Range(0, kinds.Kinds.Count).Select(k => members.Count == 0 ? 0 : members.Average(i => probabilities[i][k])).ToList();
            var kind = share.IndexOf(share.Max());
            if (share[kind] < LabelKindShare && terms[c].Count > 0) return string.Join(" · ", terms[c].Take(3));
            var described = ComplaintKinds.Describe(kinds.Kinds[kind]);
            return string.Join(" · ", terms[c].Where(t => !described.Contains(t, StringComparison.OrdinalIgnoreCase)).Take(2).Prepend(described));
        }).ToList();
        var examples = Enumerable.Range(0, centres.Count)
            .Select(c => (IReadOnlyList<string>)Enumerable.Range(0, texts.Count).Where(i => clusters[i] == c).OrderBy(i => nearestOf[i].Distance).ThenBy(i => i)
                .Select(i => words[i]).Where(w => w.Length > 0).Distinct().Take(5).ToList())
            .ToList();
        return new TopicModel(embedder, kinds, settings, centres, terms, labels, examples);
    }

    /// <summary>A stored model; null when it is not this version's format, is cut short or was fitted over other kinds (refit then).</summary>
    public static TopicModel? Load(byte[] bytes, ISentenceEmbedder embedder, ComplaintKinds kinds)
    {
        if (!bytes.AsSpan().StartsWith(System.Text.Encoding.ASCII.GetBytes(Magic))) return null;
        try
        {
            return Read(bytes, embedder, kinds);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    private static TopicModel? Read(byte[] bytes, ISentenceEmbedder embedder, ComplaintKinds kinds)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        reader.ReadChars(Magic.Length);
        if (reader.ReadString() != string.Join(',', kinds.Kinds)) return null;
        var settings = new Settings(reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle());
        var count = reader.ReadInt32();
        var size = reader.ReadInt32();
        if (size != kinds.Kinds.Count + embedder.Dimensions) return null;
        var centres = new float[count][];
        for (var c = 0; c < count; c++)
        {
            centres[c] = new float[size];
            for (var j = 0; j < size; j++) centres[c][j] = (float)reader.ReadHalf();
        }
        return new TopicModel(embedder, kinds, settings, centres, []);
    }

    /// <summary>The centres in half precision: a topic's direction needs no more, and 20 topics take 16 KB.</summary>
    public byte[] Save()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic.ToCharArray());
            writer.Write(string.Join(',', kinds.Kinds));
            writer.Write(settings.RequestWeight);
            writer.Write(settings.KindWeight);
            writer.Write(settings.OtherBelow);
            writer.Write(centres.Count);
            writer.Write(kinds.Kinds.Count + embedder.Dimensions);
            foreach (var value in centres.SelectMany(c => c)) writer.Write((Half)value);
        }
        return stream.ToArray();
    }

    /// <summary>The nearest cluster of each text (or <see cref="Other"/>) and its cosine distance to that centre.</summary>
    public IReadOnlyList<(int Cluster, float Distance)> Assign(IReadOnlyList<TurnText> texts) =>
        Vectors(texts, kinds.Probabilities(texts, embedder), embedder, settings).Select(Nearest).ToList();

    /// <summary>
    /// What the clustering sees of each turn: the square roots of its kind probabilities (a unit vector whose dot
    /// products are the Bhattacharyya coefficients of two distributions) weighted <see cref="Settings.KindWeight"/>,
    /// beside the unit-length sum of the user's words' and (weighted) the request's embeddings, for what the kinds do
    /// not name.
    /// </summary>
    private static List<float[]> Vectors(IReadOnlyList<TurnText> texts, IReadOnlyList<float[]> probabilities, ISentenceEmbedder embedder, Settings settings)
    {
        // The embedder caches: the words ComplaintKinds embedded for the probabilities come back without work.
        var requests = settings.RequestWeight == 0 ? [] : texts.Select(t => t.Request);
        var embedded = embedder.Embed(texts.Select(t => t.Feedback).Concat(requests).ToList());
        return texts.Select((t, i) =>
        {
            var words = new float[embedder.Dimensions];
            if (t.Feedback.Length > 0) TensorPrimitives.Add(words, embedded[i], words);
            if (t.Request.Length > 0 && settings.RequestWeight != 0) TensorPrimitives.MultiplyAdd(embedded[texts.Count + i], settings.RequestWeight, words, words);
            Normalized(words);
            var k = probabilities[i].Length;
            var vector = new float[k + words.Length];
            for (var j = 0; j < k; j++) vector[j] = settings.KindWeight * MathF.Sqrt(probabilities[i][j]);
            words.CopyTo(vector, k);
            return Normalized(vector);
        }).ToList();
    }

    private (int Cluster, float Distance) Nearest(float[] vector)
    {
        var (cluster, similarity) = (Other, float.NegativeInfinity);
        for (var c = 0; c < centres.Count; c++)
        {
            var s = TensorPrimitives.Dot<float>(vector, centres[c]);
            if (s > similarity) (cluster, similarity) = (c, s);
        }
        var distance = centres.Count == 0 ? 1 : 1 - similarity;
        return similarity >= settings.OtherBelow ? (cluster, distance) : (Other, distance);
    }

    // Two centres this similar are one topic said twice: the pair most alike is merged first, weighted by members.
    private static List<float[]> Merge(List<(float[] Centre, int Size)> clusters, float mergeSimilarity)
    {
        while (true)
        {
            var best = (A: -1, B: -1, Similarity: mergeSimilarity);
            for (var a = 0; a < clusters.Count; a++)
                for (var b = a + 1; b < clusters.Count; b++)
                    if (TensorPrimitives.Dot<float>(clusters[a].Centre, clusters[b].Centre) is var s && s >= best.Similarity)
                        best = (a, b, s);
            if (best.A < 0) return clusters.Select(c => c.Centre).ToList();
            var (a1, b1) = (clusters[best.A], clusters[best.B]);
            var merged = new float[a1.Centre.Length];
            TensorPrimitives.MultiplyAdd(a1.Centre, a1.Size, merged, merged);
            TensorPrimitives.MultiplyAdd(b1.Centre, b1.Size, merged, merged);
            clusters[best.A] = (Normalized(merged), a1.Size + b1.Size);
            clusters.RemoveAt(best.B);
        }
    }

    private sealed record Settings(float RequestWeight, float KindWeight, float OtherBelow);

    private static float[] Centre(IEnumerable<float[]> members)
    {
        float[]? sum = null;
        foreach (var vector in members)
        {
            sum ??= new float[vector.Length];
            TensorPrimitives.Add(sum, vector, sum);
        }
        return Normalized(sum!);
    }

    private static float[] Normalized(float[] vector)
    {
        var norm = TensorPrimitives.Norm<float>(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }
}
