using System.Globalization;
using System.Text;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Training.FollowUps;

/// <summary>What `feedback train` does: trains and writes the bundle, then reports it on every split.</summary>
public static class FollowUpTraining
{
    /// <summary>
    /// The semantic model's feature set (docs/mining.md, "Variants"): chosen on the validation split and on the
    /// simulator's follow-ups, where new unrelated questions need the relations to the request and the answer.
    /// </summary>
    public static FollowUpFeatureSet Semantic => FollowUpFeatureSet.Variants[^1];

    /// <summary>Trains on train, calibrates on validation, writes the bundle to <paramref name="path"/>; returns the report (Markdown).</summary>
    public static string Run(string? corpus, string path, string semantic, bool variants, bool cascade = false)
    {
        var train = FollowUpCorpus.Load(FollowUpCorpus.Train, corpus);
        var validation = FollowUpCorpus.Load(FollowUpCorpus.Validation, corpus);
        var features = FollowUpFeatureSet.Variants.SingleOrDefault(v => v.Name == semantic)
            ?? throw new ArgumentException($"Unknown feature set '{semantic}'; one of: {string.Join(", ", FollowUpFeatureSet.Variants.Select(v => v.Name))}.");
        FollowUpClassifier classifier;
        using (var file = File.Create(path))
            classifier = FollowUpClassifierTrainer.Train(train, validation, features, MiniLmEmbedder.Shared, file, cascade);
        var report = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Wrote {path} (semantic: {features.Name}; cascade: {(cascade ? $"the cheap model decides at confidence ≥ {classifier.CascadeThreshold:F2}" : "off")})\n");
        foreach (var split in new[] { FollowUpCorpus.Validation, FollowUpCorpus.Test, FollowUpCorpus.Heldout })
        {
            var examples = FollowUpCorpus.Load(split, corpus);
            var predictions = classifier.ClassifyAll(examples.Select(e => e.FollowUp).ToList());
            report.Append(CultureInfo.InvariantCulture, $"\n## {split} ({examples.Count} examples)\n\n### model\n\n{FollowUpEvaluation.Model(predictions, examples).ToMarkdown()}");
            report.Append(CultureInfo.InvariantCulture, $"\n### calibration\n\n{FollowUpEvaluation.Calibration(predictions, examples).ToMarkdown()}");
            report.Append(CultureInfo.InvariantCulture, $"\n### keyword baseline\n\n{FollowUpEvaluation.Baseline(examples).ToMarkdown()}");
        }
        if (variants)
        {
            report.Append("\n## variants (held-out set)\n\n");
            report.Append(FollowUpVariants.Measure(train, validation, FollowUpCorpus.Load(FollowUpCorpus.Heldout, corpus), features));
        }
        return report.ToString();
    }
}
