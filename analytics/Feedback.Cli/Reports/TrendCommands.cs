using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store.ChDb;
using Feedback.Analytics.Trends;
using Feedback.Cli.Hosting;

namespace Feedback.Cli.Reports;

/// <summary>
/// <c>feedback trends</c> and <c>feedback compare</c>: the read API's trends and comparison as terminal tables (or
/// its JSON with <c>--json</c>), through the running server when it holds the store, else straight from the store.
/// </summary>
public static class TrendCommands
{
    /// <summary>The read API's JSON: snake_case, nulls written (a null rate means "no turns").</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static Command Trends(Option<string> dataDir)
    {
        var filters = new FilterOptions();
        var interval = new Option<string>("--interval") { Description = "Bucket width: hour, day or week", DefaultValueFactory = _ => TrendInterval.Day.Name };
        interval.AcceptOnlyFromAmong([.. TrendInterval.All.Select(i => i.Name)]);
        var by = new Option<string?>("--by") { Description = $"Break down by {TrendField.Choices}" };
        var command = new Command("trends", "Turns and feedback rates per time bucket (positive, negative, edits, regenerates, choices, pairs)") { interval, by };
        filters.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var query = filters.Read(result, new TrendsQuery { IntervalName = result.GetValue(interval)!, By = result.GetValue(by) });
            if (Invalid(query)) return 2;
            var report = await RunAsync(result.GetValue(dataDir)!, "admin/trends", filters.Project(result), query,
                (reports, project) => reports.TrendsAsync(query.ToFilter(project, DateTimeOffset.UtcNow), query.Interval, query.Breakdown, ct), ct);
            Console.Write(result.GetValue(filters.Json) ? JsonSerializer.Serialize(report, Json) + "\n" : Table(report));
            return 0;
        });
        return command;
    }

    public static Command Compare(Option<string> dataDir)
    {
        var filters = new FilterOptions();
        var a = new Argument<string>("a") { Description = "The first value (e.g. the old model version)" };
        var b = new Argument<string>("b") { Description = "The second value; differences are b − a" };
        var field = new Option<string>("--field") { Description = $"What a and b are values of: {TrendField.Choices}", DefaultValueFactory = _ => TrendField.ModelVersion.Name };
        var confidence = new Option<double>("--confidence") { Description = "Confidence level of the intervals", DefaultValueFactory = _ => 0.95 };
        var command = new Command("compare", "Positive and negative rate of two model versions (or other values) with confidence intervals on the difference")
        {
            a, b, field, confidence,
        };
        filters.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var query = filters.Read(result, new CompareQuery
            {
                A = result.GetValue(a),
                B = result.GetValue(b),
                Field = result.GetValue(field)!,
                Confidence = result.GetValue(confidence),
            });
            if (Invalid(query)) return 2;
            var report = await RunAsync(result.GetValue(dataDir)!, "admin/compare", filters.Project(result), query,
                (reports, project) => reports.CompareAsync(query.ToFilter(project, DateTimeOffset.UtcNow), query.Compared!, query.A!, query.B!, query.Confidence, ct), ct);
            Console.Write(result.GetValue(filters.Json) ? JsonSerializer.Serialize(report, Json) + "\n" : Table(report));
            return 0;
        });
        return command;
    }

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

    private static bool Invalid(TurnFilterQuery query)
    {
        var problems = new List<ValidationResult>();
        if (Validator.TryValidateObject(query, new ValidationContext(query), problems, validateAllProperties: true)) return false;
        foreach (var problem in problems) Console.Error.WriteLine(problem.ErrorMessage);
        return true;
    }

    private static async Task<T> RunAsync<T>(
        string dataDirectory, string adminPath, string project, TurnFilterQuery query, Func<TrendReports, string, Task<T>> direct, CancellationToken ct)
    {
        if (LocalServer.Find(dataDirectory) is { } server && ChDbEngine.IsInUse(dataDirectory))
        {
            using var http = server.Client();
            using var response = await http.GetAsync($"{adminPath}?project={Uri.EscapeDataString(project)}&{query.ToQueryString()}", ct);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
        }
        using var engine = ChDbEngine.Open(dataDirectory);
        await Migrator.MigrateAsync(engine, ct);
        return await direct(new TrendReports(engine), project);
    }

    /// <summary>The options both commands share: project, range, filters and --json.</summary>
    private sealed class FilterOptions
    {
        private readonly Option<string> project = new("--project") { Description = "The project", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
        private readonly Option<DateTimeOffset?> from = new("--from") { Description = "Turns at or after this time (ISO 8601; default: 30 days before --to)" };
        private readonly Option<DateTimeOffset?> to = new("--to") { Description = "Turns before this time (default: now)" };
        private readonly Option<string[]> model = new("--model") { Description = "Only these models", AllowMultipleArgumentsPerToken = true };
        private readonly Option<string[]> modelVersion = new("--model-version") { Description = "Only these model versions", AllowMultipleArgumentsPerToken = true };
        private readonly Option<string[]> promptTemplate = new("--prompt-template") { Description = "Only these prompt templates", AllowMultipleArgumentsPerToken = true };
        private readonly Option<string[]> stage = new("--stage") { Description = "Only these pipeline stages", AllowMultipleArgumentsPerToken = true };
        private readonly Option<string[]> metadata = new("--metadata") { Description = "Only turns whose metadata has KEY=VALUE (repeatable)" };

        public Option<bool> Json { get; } = new("--json") { Description = "Print the read API's JSON instead of a table" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { project, from, to, model, modelVersion, promptTemplate, stage, metadata, Json }) command.Options.Add(option);
            command.Validators.Add(result =>
            {
                if ((result.GetValue(metadata) ?? []).Any(m => m.IndexOf('=', StringComparison.Ordinal) <= 0)) result.AddError("--metadata is KEY=VALUE");
            });
        }

        public string Project(ParseResult result) => result.GetValue(project)!;

        public T Read<T>(ParseResult result, T query)
            where T : TurnFilterQuery
        {
            query.From = result.GetValue(from);
            query.To = result.GetValue(to);
            query.Models = result.GetValue(model) ?? [];
            query.ModelVersions = result.GetValue(modelVersion) ?? [];
            query.PromptTemplates = result.GetValue(promptTemplate) ?? [];
            query.Stages = result.GetValue(stage) ?? [];
            query.Metadata = (result.GetValue(metadata) ?? []).Select(m => m.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
            return query;
        }
    }
}
