using System.Globalization;
using System.Text.Json;
using Feedback.Analytics.Trends;

namespace Feedback.Cli.Reports;

/// <summary>The read API's trends and comparison as terminal tables (<c>feedback trends</c>, <c>feedback compare</c>).</summary>
public static class TrendTables
{
    /// <summary>The read API's JSON: snake_case, nulls written (a null rate means "no turns").</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string Table(TrendReport report)
    {
        var table = new TextTable(report.By ?? "series", "time", "turns", "feedback", "positive", "negative", "edited", "edit dist", "regenerated", "chose", "pairs");
        foreach (var series in report.Series)
        {
            foreach (var p in series.Points)
            {
                table.Add(series.Key.Length == 0 ? (report.By is null ? "(all)" : "(none)") : series.Key, Time(p.Time, report.Interval), p.Turns.ToString(CultureInfo.InvariantCulture),
                    Percent(p.FeedbackRate), Percent(p.PositiveRate), Percent(p.NegativeRate), Percent(p.EditRate),
                    p.MeanEditDistance?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-", Percent(p.RegenerateRate), Percent(p.ChoiceRate),
                    p.Pairs.ToString(CultureInfo.InvariantCulture));
            }
        }
        var range = $"{report.From:yyyy-MM-dd HH:mm} to {report.To:yyyy-MM-dd HH:mm} UTC, per {report.Interval}";
        var turns = report.Series.Count == 0 ? $"No turns from {range}.\n" : $"Turns from {range} (follow-up rates: --json)\n\n{table}";
        return report.Evaluations.Count == 0 ? turns : $"{turns}\n{EvaluationTable(report)}";
    }

    // Printed apart, under its own heading: an evaluator's scores are not user feedback.
    private static string EvaluationTable(TrendReport report)
    {
        var table = new TextTable(report.By ?? "series", "time", "evaluation", "evaluated", "mean score", "failed") { TextColumns = new HashSet<int> { 0, 2 } };
        foreach (var series in report.Evaluations)
        {
            foreach (var p in series.Points)
            {
                table.Add(series.Key.Length == 0 ? (report.By is null ? "(all)" : "(none)") : series.Key, Time(p.Time, report.Interval), series.EvaluationName,
                    p.EvaluatedTurns.ToString(CultureInfo.InvariantCulture), p.MeanScore?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-", Percent(p.FailedRate));
            }
        }
        return $"Evaluator results (source: evaluator, not user feedback; each evaluated turn's newest result)\n\n{table}";
    }

    public static string Table(ComparisonReport report)
    {
        var level = report.Confidence.ToString("0.##%", CultureInfo.InvariantCulture);
        var table = new TextTable("", report.A.Value, report.B.Value, "b − a", $"{level} interval", "")
            .Add("turns", Count(report.A.Turns), Count(report.B.Turns))
            .Add(Row("positive", report.A.PositiveRate, report.B.PositiveRate, report.PositiveRateDifference))
            .Add(Row("negative", report.A.NegativeRate, report.B.NegativeRate, report.NegativeRateDifference));
        return $"{report.Field}: {report.A.Value} (a) vs {report.B.Value} (b), {report.From:yyyy-MM-dd HH:mm} to {report.To:yyyy-MM-dd HH:mm} UTC\n\n{table}";

        static string[] Row(string name, double? a, double? b, RateDifference d) =>
        [
            name, Percent(a), Percent(b), Points(d.Estimate), d.Low is null ? "-" : $"[{Points(d.Low)}, {Points(d.High)}]",
            d.Estimate is null ? "" : d.Significant ? "significant" : "not significant",
        ];
    }

    private static string Time(DateTime time, string interval) =>
        time.ToString(interval == TrendInterval.Hour.Name ? "yyyy-MM-dd HH:00" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Percent(double? rate) => rate?.ToString("0.0%", CultureInfo.InvariantCulture) ?? "-";

    private static string Points(double? difference) =>
        difference is { } d ? (d * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " pts" : "-";

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
}
