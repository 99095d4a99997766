using System.Text.RegularExpressions;
using Feedback.Analytics.Export;

namespace Feedback.Tests.Export;

/// <summary>
/// The export readers' six statements are whole, so the filter's conditions are written in each: they must stay the
/// same, or a page, its sizes and the watermark's last row would disagree on which rows an export holds.
/// </summary>
public sealed class ExportStatementsTests
{
    [Fact]
    public void Every_export_statement_has_the_same_filter_conditions()
    {
        var pairs = new[] { PairReader.Page, PairReader.Sizes, PairReader.Last }.Select(s => Conditions(s, "pair_id")).ToList();
        var labels = new[] { TurnLabelReader.Page, TurnLabelReader.Sizes, TurnLabelReader.Last }.Select(s => Conditions(s, "label_id")).ToList();

        Assert.Contains("{exclude_outliers:UInt8}", pairs[0], StringComparison.Ordinal);
        Assert.All(pairs, c => Assert.Equal(pairs[0], c));
        Assert.All(labels, c => Assert.Equal(labels[0], c));
        Assert.StartsWith(pairs[0], labels[0], StringComparison.Ordinal); // labels add their own conditions after the pairs' ones
    }

    // From WHERE up to ORDER BY, with the table's id column named alike.
    private static string Conditions(string statement, string idColumn) =>
        Regex.Match(statement, @"\bWHERE\b.*?(?=\nORDER BY)", RegexOptions.Singleline).Value.Replace(idColumn, "id", StringComparison.Ordinal);
}
