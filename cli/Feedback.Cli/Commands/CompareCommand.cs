using System.CommandLine;
using System.Text.Json;
using Feedback.Analytics.Trends;
using Feedback.Cli.Backends;
using Feedback.Cli.Reports;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback compare</c>: the read API's comparison of two values as a terminal table (or its JSON with <c>--json</c>).</summary>
public static class CompareCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var filters = new TurnFilterOptions();
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
            if (TurnFilterOptions.Invalid(query)) return 2;
            using var backend = await StoreBackend.OpenAsync(result.GetValue(dataDir)!, ct);
            var report = await backend.Trends.CompareAsync(filters.Project(result), query, ct);
            Console.Write(result.GetValue(filters.Json) ? JsonSerializer.Serialize(report, TrendTables.Json) + "\n" : TrendTables.Table(report));
            return 0;
        });
        return command;
    }
}
