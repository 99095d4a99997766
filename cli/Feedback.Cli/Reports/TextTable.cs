using System.Text;

namespace Feedback.Cli.Reports;

/// <summary>An aligned plain-text table for the terminal: text columns left-aligned (by default the first), the others (numbers) right-aligned.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    /// <summary>Indexes of the columns that hold text rather than numbers.</summary>
    public IReadOnlySet<int> TextColumns { get; init; } = new HashSet<int> { 0 };

    public TextTable Add(params string[] cells)
    {
        rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var all = rows.Prepend(headers).ToList();
        var widths = Enumerable.Range(0, headers.Length).Select(i => all.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var cells = widths.Select((w, i) =>
            {
                var cell = i < row.Length ? row[i] : "";
                return TextColumns.Contains(i) ? cell.PadRight(w) : cell.PadLeft(w);
            });
            text.AppendLine(string.Join("  ", cells).TrimEnd());
        }
        return text.ToString();
    }
}
