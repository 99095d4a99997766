using System.Globalization;
using System.Text;

namespace Feedback.Analytics.Export;

/// <summary>What <see cref="BiasReport"/> found for a project.</summary>
public sealed record Bias(string Project, IReadOnlyList<SourceLengths> Sources, IReadOnlyList<VersionCounts> ModelVersions, IReadOnlyList<OutlierUser> OutlierUsers)
{
    /// <summary>Markdown tables, as `feedback report bias` prints them.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"# Bias report of project '{Project}'\n\n## Length: is the chosen answer the longer one?\n\n");
        text.Append("| source | pairs | chosen longer | chosen shorter | same length |\n|---|---|---|---|---|\n");
        foreach (var s in Sources)
            text.Append(CultureInfo.InvariantCulture, $"| {s.Source} | {s.Pairs} | {Share(s.ChosenLonger, s.Pairs)} | {Share(s.ChosenShorter, s.Pairs)} | {Share(s.Pairs - s.ChosenLonger - s.ChosenShorter, s.Pairs)} |\n");
        text.Append("\n## Model versions\n\n| model | version | pairs | positive labels | negative labels |\n|---|---|---|---|---|\n");
        foreach (var v in ModelVersions)
            text.Append(CultureInfo.InvariantCulture, $"| {v.Model} | {v.ModelVersion} | {v.Pairs} | {v.PositiveLabels} | {v.NegativeLabels} |\n");
        text.Append(CultureInfo.InvariantCulture, $"\n## Outlier users ({OutlierUsers.Count}; leave them out with --exclude-outlier-users)\n\n| user | labels | negative | reason |\n|---|---|---|---|\n");
        foreach (var u in OutlierUsers)
            text.Append(CultureInfo.InvariantCulture, $"| {u.UserId} | {u.Labels} | {u.Negative} | {u.Reason} |\n");
        return text.ToString();
    }

    private static string Share(long part, long whole) =>
        whole == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{part} ({100.0 * part / whole:0.0} %)");
}
