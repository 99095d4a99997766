using System.CommandLine;
using System.Text.Json;
using Feedback.Analytics.Projects;
using Feedback.Cli.Backends;
using Feedback.Cli.Reports;
using Feedback.Events;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback topics</c>: the topics of negative feedback as a table (or the <c>GET /v1/topics</c> JSON).</summary>
public static class TopicsCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var project = new Option<string>("--project") { Description = "Project whose topics to show", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
        var refit = new Option<bool>("--refit") { Description = "Fit the topics again on all negative turns first (ids stay stable)" };
        var json = new Option<bool>("--json") { Description = "Print the GET /v1/topics JSON instead of a table" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start of the range (ISO 8601; default 30 days before --to)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of the range, exclusive (default now)" };
        var interval = new Option<string>("--interval") { Description = "Trend interval: hour, day or week", DefaultValueFactory = _ => "day" };
        var limit = new Option<int>("--limit") { Description = "How many topics, largest first", DefaultValueFactory = _ => 20 };
        var command = new Command("topics", "Show the topics of negative feedback: id, size, trend and label (through the running server if there is one)")
        {
            project, refit, json, from, to, interval, limit,
        };
        command.SetAction(async (result, ct) =>
        {
            var parameters = new TopicsParameters
            {
                From = result.GetValue(from),
                To = result.GetValue(to),
                Interval = result.GetValue(interval)!,
                Limit = result.GetValue(limit),
            };
            if (parameters.ToQuery(DateTimeOffset.UtcNow).Error is { } error)
            {
                await Console.Error.WriteLineAsync(error);
                return 2;
            }
            using var backend = await StoreBackend.OpenAsync(result.GetValue(dataDir)!, ct);
            var view = await backend.Topics.ReadAsync(result.GetValue(project)!, parameters, result.GetValue(refit), ct);
            if (result.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(view, FeedbackJson.Options));
            else TopicsTable.Write(view, Console.Out);
            return 0;
        });
        return command;
    }
}
