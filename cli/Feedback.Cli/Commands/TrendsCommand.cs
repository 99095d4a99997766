using System.CommandLine;
using System.Text.Json;
using Feedback.Analytics.Trends;
using Feedback.Cli.Backends;
using Feedback.Cli.Reports;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback trends</c>: the read API's trends as a terminal table (or its JSON with <c>--json</c>).</summary>
public static class TrendsCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var filters = new TurnFilterOptions();
        var interval = new Option<string>("--interval") { Description = "Bucket width: hour, day or week", DefaultValueFactory = _ => TrendInterval.Day.Name };
        interval.AcceptOnlyFromAmong([.. TrendInterval.All.Select(i => i.Name)]);
        var by = new Option<string?>("--by") { Description = $"Break down by {TrendField.Choices}" };
        var command = new Command("trends", "Turns and feedback rates per time bucket (positive, negative, edits, regenerates, choices, pairs)") { interval, by };
        filters.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var query = filters.Read(result, new TrendsQuery { IntervalName = result.GetValue(interval)!, By = result.GetValue(by) });
            if (TurnFilterOptions.Invalid(query)) return 2;
            using var backend = await StoreBackend.OpenAsync(result.GetValue(dataDir)!, ct);
            var report = await backend.Trends.TrendsAsync(filters.Project(result), query, ct);
            Console.Write(result.GetValue(filters.Json) ? JsonSerializer.Serialize(report, TrendTables.Json) + "\n" : TrendTables.Table(report));
            return 0;
        });
        return command;
    }
}
