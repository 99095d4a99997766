using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Feedback.Analytics.Topics;

/// <summary>
/// Text featurization (ML.NET FeaturizeText: lower case, no punctuation or numbers, English stop words removed,
/// word TF-IDF, L2 norm) of the user's words and of the request, each on its own, and k-means over both. The
/// user's words go in twice, so they weigh double in the distance: they say what went wrong, the request only
/// what it was about. k is the candidate with the best mean silhouette (cosine geometry,
/// as the vectors are unit length). Each cluster's terms are those whose centroid weight most exceeds the
/// size-weighted mean centroid, i.e. what sets the cluster apart rather than what every complaint says.
/// Seeded and single-threaded, so a fit on the same texts gives the same clusters.
/// </summary>
public sealed class TopicModel
{
    private const string Features = "Features";
    private const string FeedbackWords = "FeedbackWords";
    private const string RequestWords = "RequestWords";

    private readonly MLContext ml;
    private readonly ITransformer model;

    private TopicModel(MLContext ml, ITransformer model, IReadOnlyList<IReadOnlyList<string>> terms)
    {
        this.ml = ml;
        this.model = model;
        Terms = terms;
    }

    /// <summary>The distinctive terms of each cluster, best first (empty for a model loaded from the store).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Terms { get; }

    public static TopicModel Fit(IReadOnlyList<TurnText> texts, TopicOptions options)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(texts.Select(TextRow.From));
        var featurizer = ml.Transforms.Text.FeaturizeText(FeedbackWords, FeaturizerOptions(), nameof(TextRow.Feedback))
            .Append(ml.Transforms.Text.FeaturizeText(RequestWords, FeaturizerOptions(), nameof(TextRow.Request)))
            .Append(ml.Transforms.Concatenate(Features, FeedbackWords, FeedbackWords, RequestWords))
            .Fit(data);
        var features = ml.Data.Cache(featurizer.Transform(data));

        var k = ChooseK(ml, features, texts.Count, options);
        var kmeans = KMeans(ml, k).Fit(features);
        var chain = featurizer.Append(kmeans);
        return new TopicModel(ml, chain, DistinctiveTerms(features, kmeans.Model, chain.Transform(data), options.Terms));
    }

    public static TopicModel Load(byte[] zip)
    {
        var ml = new MLContext(seed: 1);
        using var stream = new MemoryStream(zip);
        return new TopicModel(ml, ml.Model.Load(stream, out _), []);
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema, stream);
        return stream.ToArray();
    }

    /// <summary>The nearest cluster (0-based) of each text and its squared distance to that centroid.</summary>
    public IReadOnlyList<(int Cluster, float Distance)> Assign(IReadOnlyList<TurnText> texts)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(texts.Select(TextRow.From)));
        return ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false)
            .Select(p => ((int)p.Cluster - 1, p.Score[p.Cluster - 1]))
            .ToList();
    }

    private static TextFeaturizingEstimator.Options FeaturizerOptions() => new()
    {
        CaseMode = TextNormalizingEstimator.CaseMode.Lower,
        KeepDiacritics = false,
        KeepPunctuations = false,
        KeepNumbers = false, // ids, years and counts do not make a topic
        StopWordsRemoverOptions = new StopWordsRemovingEstimator.Options { Language = TextFeaturizingEstimator.Language.English },
        WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
        CharFeatureExtractor = null,
        Norm = TextFeaturizingEstimator.NormFunction.L2,
    };

    private static KMeansTrainer KMeans(MLContext ml, int k) => ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
    {
        FeatureColumnName = Features,
        NumberOfClusters = k,
        InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
        NumberOfThreads = 1, // repeatable
    });

    // Silhouette of each candidate k on a sample; the distance matrix is computed once and shared.
    private static int ChooseK(MLContext ml, IDataView features, int count, TopicOptions options)
    {
        var maxK = Math.Min(options.MaxTopics, Math.Max(2, (int)Math.Sqrt(count)));
        var sample = ml.Data.Cache(ml.Data.TakeRows(features, options.SelectionSample));
        var vectors = sample.GetColumn<VBuffer<float>>(Features).Select(SparseVector.From).ToList();
        var distances = Silhouette.Distances(vectors);
        var best = (K: 2, Score: double.MinValue);
        for (var k = 2; k <= Math.Min(maxK, vectors.Count - 1); k++)
        {
            var labels = KMeans(ml, k).Fit(sample).Transform(sample).GetColumn<uint>("PredictedLabel").Select(l => (int)l - 1).ToArray();
            var score = Silhouette.Mean(distances, labels, k);
            if (score > best.Score) best = (k, score);
        }
        return best.K;
    }

    private static List<IReadOnlyList<string>> DistinctiveTerms(IDataView features, KMeansModelParameters kmeans, IDataView scored, int take)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        features.Schema[Features].GetSlotNames(ref names);
        // Concatenation names a slot "<column>.<word>"; the words themselves hold no dots (punctuation is removed).
        var slots = names.DenseValues().Select(n => n.ToString()).Select(n => n[(n.IndexOf('.', StringComparison.Ordinal) + 1)..]).ToArray();
        var centroids = default(VBuffer<float>[]);
        kmeans.GetClusterCentroids(ref centroids, out var k);
        var sizes = new double[k];
        foreach (var label in scored.GetColumn<uint>("PredictedLabel")) sizes[label - 1]++;
        var dense = centroids!.Select(c => c.DenseValues().ToArray()).ToArray();
        var mean = new double[slots.Length];
        for (var c = 0; c < k; c++)
            for (var j = 0; j < slots.Length; j++)
                mean[j] += dense[c][j] * sizes[c] / sizes.Sum();
        return Enumerable.Range(0, k)
            .Select(c => (IReadOnlyList<string>)Enumerable.Range(0, slots.Length)
                .Where(j => dense[c][j] - mean[j] > 0 && slots[j].Length > 1)
                .OrderByDescending(j => dense[c][j] - mean[j])
                .Select(j => slots[j])
                .Distinct()
                .Take(take)
                .ToList())
            .ToList();
    }

    private sealed class TextRow
    {
        public string Request { get; set; } = "";

        public string Feedback { get; set; } = "";

        public static TextRow From(TurnText text) => new() { Request = text.Request, Feedback = text.Feedback };
    }

    private sealed class Prediction
    {
        [ColumnName("PredictedLabel")]
        public uint Cluster { get; set; }

        public float[] Score { get; set; } = [];
    }
}
