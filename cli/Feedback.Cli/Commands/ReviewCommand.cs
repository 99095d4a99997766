using System.CommandLine;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Reviews;
using Feedback.Cli.Backends;
using Feedback.Cli.Reviews;
using Spectre.Console;

namespace Feedback.Cli.Commands;

/// <summary>
/// <c>feedback review</c>: label the follow-ups of the review queue in the terminal, one key each, or export the
/// queue as JSON Lines and import the labels filled in elsewhere (docs/reviews.md).
/// </summary>
public static class ReviewCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var project = new Option<string>("--project") { Description = "Project whose follow-ups to review", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
        var limit = new Option<int>("--limit")
        {
            Description = $"How many follow-ups of the queue, most worth a look first (1 to {ReviewQueueReader.MaxLimit})",
            DefaultValueFactory = _ => ReviewQueueReader.DefaultLimit,
        };
        var reviewer = new Option<string>("--reviewer") { Description = "Who answers for the labels (default: your user name)", DefaultValueFactory = _ => Environment.UserName };
        var export = new Option<string?>("--export") { Description = "Write the queue to this file as JSON Lines with an empty \"label\" to fill in, instead of reviewing here" };
        var import = new Option<string?>("--import") { Description = "Submit the labels of this JSON Lines file (eventId and label per line)" };
        var command = new Command("review", "Review uncertain follow-up labels: confirm or fix each with one key (Enter/y, 1-6, s, b, q), or --export / --import JSON Lines")
        {
            project, limit, reviewer, export, import,
        };
        command.SetAction(async (result, ct) =>
        {
            var name = result.GetValue(project)!;
            var who = result.GetValue(reviewer)!;
            var count = result.GetValue(limit);
            var refusal =
                result.GetValue(export) is not null && result.GetValue(import) is not null ? "Use --export or --import, not both."
                : string.IsNullOrWhiteSpace(who) ? "Say who reviews: --reviewer NAME."
                : count is < 1 or > ReviewQueueReader.MaxLimit ? $"--limit must be 1 to {ReviewQueueReader.MaxLimit}."
                : null;
            if (refusal is not null)
            {
                await Console.Error.WriteLineAsync(refusal);
                return 2;
            }
            using var backend = await StoreBackend.OpenAsync(result.GetValue(dataDir)!, ct);
            if (result.GetValue(export) is { } exportFile)
                return await ReviewFiles.ExportAsync(backend.Reviews, name, count, exportFile, Console.Out, ct);
            if (result.GetValue(import) is { } importFile)
                return await ReviewFiles.ImportAsync(backend.Reviews, name, who, importFile, Console.Out, Console.Error, ct);
            return await new ReviewSession(backend.Reviews, AnsiConsole.Console, ReviewKeys.FromConsole()).RunAsync(name, who, count, ct);
        });
        return command;
    }
}
