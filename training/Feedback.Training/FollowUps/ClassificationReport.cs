using System.Globalization;
using System.Text;
using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Training.FollowUps;

/// <summary>Per-label precision, recall and F1, and their macro average, of predictions against gold labels.</summary>
public sealed record ClassificationReport(IReadOnlyList<LabelScore> Labels, double Accuracy)
{
    public double MacroF1 => Labels.Average(l => l.F1);

    public static ClassificationReport Compute(IReadOnlyList<string> gold, IReadOnlyList<string> predicted)
    {
        var scores = FollowUpLabels.All.Select(label =>
        {
            var truePositives = gold.Zip(predicted).Count(p => p.First == label && p.Second == label);
            var precision = Ratio(truePositives, predicted.Count(p => p == label));
            var recall = Ratio(truePositives, gold.Count(g => g == label));
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new LabelScore(label, precision, recall, f1, gold.Count(g => g == label));
        }).ToList();
        return new ClassificationReport(scores, Ratio(gold.Zip(predicted).Count(p => p.First == p.Second), gold.Count));
    }

    /// <summary>A Markdown table, as pasted into docs/mining.md.</summary>
    public string ToMarkdown()
    {
        var table = new StringBuilder("| label | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
        foreach (var l in Labels)
            table.Append(CultureInfo.InvariantCulture, $"| {l.Label} | {l.Precision:F3} | {l.Recall:F3} | {l.F1:F3} | {l.Support} |\n");
        table.Append(CultureInfo.InvariantCulture, $"| **macro** | | | **{MacroF1:F3}** | {Labels.Sum(l => l.Support)} |\n");
        table.Append(CultureInfo.InvariantCulture, $"\naccuracy {Accuracy:F3}\n");
        return table.ToString();
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : numerator / (double)denominator;
}
