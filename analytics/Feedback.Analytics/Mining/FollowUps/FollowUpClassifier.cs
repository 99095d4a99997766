using System.IO.Compression;
using System.Text.Json;
using Feedback.Analytics.Embeddings;

namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// Labels the user's next message (docs/mining.md, "Labelling guide") with a calibrated confidence: the probability
/// that the label is right. Two ML.NET models: the semantic one (the sentence embedding of all-MiniLM-L6-v2, the
/// nearest training follow-ups of each label, n-grams and cues) and a cheap one (n-grams and cues, tens of thousands
/// of follow-ups/s), which decides alone only when its calibrated confidence reaches <see cref="CascadeThreshold"/>
/// (off in the shipped model: on new phrasing it is confidently wrong too often, docs/mining.md "Variants").
/// The trained bundle ships in the assembly (followup-model.zip); `feedback train` (training/Feedback.Training)
/// rebuilds it. Not thread-safe: one instance per thread.
/// </summary>
public sealed class FollowUpClassifier
{
    public const string ModelResource = "FollowUps/followup-model.zip";

    private const string CheapEntry = "cheap";
    private const string SemanticEntry = "semantic";
    private const string SettingsEntry = "settings.json";

    /// <summary>A cascade threshold no calibrated confidence reaches: the semantic model decides everything.</summary>
    internal const float Never = 1.01f;

    private readonly FollowUpModel cheap;
    private readonly FollowUpModel semantic;
    private readonly ISentenceEmbedder embedder;

    /// <summary>Two trained (Feedback.Training) or loaded models; the cheap one decides alone from <paramref name="cascadeThreshold"/>.</summary>
    internal FollowUpClassifier(FollowUpModel cheap, FollowUpModel semantic, float cascadeThreshold, ISentenceEmbedder embedder)
    {
        (this.cheap, this.semantic, CascadeThreshold, this.embedder) = (cheap, semantic, cascadeThreshold, embedder);
        if (!cheap.Labels.SequenceEqual(semantic.Labels)) throw new InvalidOperationException("The two models disagree on the labels' order.");
    }

    /// <summary>The cheap model's calibrated confidence from which it decides alone (above 1: never, the shipped default).</summary>
    public float CascadeThreshold { get; }

    /// <summary>The model shipped with the product.</summary>
    public static FollowUpClassifier LoadShipped() => LoadShipped(MiniLmEmbedder.Shared);

    /// <summary>The model shipped with the product, reading texts with the given encoder.</summary>
    public static FollowUpClassifier LoadShipped(ISentenceEmbedder embedder)
    {
        using var stream = typeof(FollowUpClassifier).Assembly.GetManifestResourceStream(ModelResource)
            ?? throw new InvalidOperationException("The follow-up model is not embedded; run `feedback train`.");
        return Load(stream, embedder);
    }

    public static FollowUpClassifier Load(Stream model, ISentenceEmbedder? embedder = null)
    {
        using var zip = new ZipArchive(model, ZipArchiveMode.Read, leaveOpen: true);
        var settings = JsonSerializer.Deserialize<Settings>(zip.GetEntry(SettingsEntry)!.Open(), SettingsJson)!;
        return new FollowUpClassifier(
            FollowUpModel.Load(zip, CheapEntry, FollowUpFeatureSet.Cheap, settings.CheapTemperature),
            FollowUpModel.Load(zip, SemanticEntry, FollowUpFeatureSet.Variants.Single(v => v.Name == settings.Semantic), settings.SemanticTemperature),
            settings.CascadeThreshold, embedder ?? MiniLmEmbedder.Shared);
    }

    public FollowUpPrediction Classify(FollowUp turn) => ClassifyAll([turn])[0];

    /// <summary>
    /// Classifies many follow-ups at once, on every core, each distinct text embedded once; results in input order.
    /// Like <see cref="Classify"/>, not to be called from two threads at once.
    /// </summary>
    public IReadOnlyList<FollowUpPrediction> ClassifyAll(IReadOnlyList<FollowUp> turns)
    {
        if (CascadeThreshold > 1) return semantic.PredictAll(turns, embedder).Select(semantic.Best).ToArray();
        var results = cheap.PredictAll(turns, embedder).Select(cheap.Best).ToArray();
        var unsure = Enumerable.Range(0, turns.Count).Where(i => results[i].Confidence < CascadeThreshold).ToList();
        if (unsure.Count == 0) return results;
        var decided = semantic.PredictAll(unsure.Select(i => turns[i]).ToList(), embedder);
        for (var n = 0; n < unsure.Count; n++) results[unsure[n]] = semantic.Best(decided[n]);
        return results;
    }

    /// <summary>
    /// Writes the bundle <see cref="Load"/> reads: both models and the settings, with fixed entry times, so the same
    /// models always give the same bytes.
    /// </summary>
    internal void Save(Stream bundle)
    {
        using var zip = new ZipArchive(bundle, ZipArchiveMode.Create, leaveOpen: true);
        cheap.Save(zip, CheapEntry);
        semantic.Save(zip, SemanticEntry);
        using var settings = FollowUpModel.Entry(zip, SettingsEntry, CompressionLevel.Optimal);
        JsonSerializer.Serialize(settings, new Settings(semantic.Features.Name, cheap.Temperature, semantic.Temperature, CascadeThreshold), SettingsJson);
    }

    private static readonly JsonSerializerOptions SettingsJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed record Settings(string Semantic, float CheapTemperature, float SemanticTemperature, float CascadeThreshold);
}
