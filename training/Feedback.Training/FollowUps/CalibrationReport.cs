using System.Globalization;
using System.Text;

namespace Feedback.Training.FollowUps;

/// <summary>
/// How far confidence is from accuracy: the top label's confidence in ten equal-width bins, each bin's mean
/// confidence against its accuracy, and the expected calibration error (the bins' gaps weighted by their size).
/// </summary>
public sealed record CalibrationReport(IReadOnlyList<CalibrationBin> Bins, double ExpectedCalibrationError)
{
    public static CalibrationReport Compute(IReadOnlyList<float> confidences, IReadOnlyList<bool> correct)
    {
        var bins = Enumerable.Range(0, 10).Select(b =>
        {
            var members = confidences.Select((c, i) => (c, i)).Where(x => Bin(x.c) == b).ToList();
            return new CalibrationBin(b / 10.0, (b + 1) / 10.0, members.Count,
                members.Count == 0 ? 0 : members.Average(x => x.c), members.Count == 0 ? 0 : members.Count(x => correct[x.i]) / (double)members.Count);
        }).ToList();
        var total = Math.Max(1, confidences.Count);
        return new CalibrationReport(bins, bins.Sum(b => b.Count / (double)total * Math.Abs(b.Accuracy - b.MeanConfidence)));
    }

    /// <summary>A Markdown reliability table, as pasted into docs/mining.md.</summary>
    public string ToMarkdown()
    {
        var table = new StringBuilder("| confidence | predictions | mean confidence | accuracy |\n|---|---|---|---|\n");
        foreach (var b in Bins.Where(b => b.Count > 0))
            table.Append(CultureInfo.InvariantCulture, $"| {b.From:F1}–{b.To:F1} | {b.Count} | {b.MeanConfidence:F3} | {b.Accuracy:F3} |\n");
        table.Append(CultureInfo.InvariantCulture, $"\nECE {ExpectedCalibrationError:F3}\n");
        return table.ToString();
    }

    private static int Bin(float confidence) => Math.Clamp((int)(confidence * 10), 0, 9);
}
