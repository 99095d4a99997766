using System.CommandLine;
using Feedback.Analytics.Projects;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback project key create PROJECT [--read | --review] [--origin O]…</c>: another key, printed once.</summary>
public static class ProjectKeyCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var project = new Argument<string>("project") { Description = "The project the key is for" };
        var read = new Option<bool>("--read") { Description = "A read key (export, trends and comparisons over HTTP) instead of a write key (sending events)" };
        var origins = new Option<string[]>("--origin")
        {
            Description = "A web origin (scheme://host[:port]) whose pages may send events with this write key; repeat for several (docs/browser.md)",
        };
        var review = new Option<bool>("--review") { Description = "A review key: what a read key does, and labelling follow-ups in the review queue" };
        var command = new Command("create", "Create another key for a project and print it (shown once)") { project, read, review, origins };
        command.Validators.Add(result =>
        {
            var given = result.GetValue(origins) ?? [];
            if (given.Length > 0 && (result.GetValue(read) || result.GetValue(review))) result.AddError("--origin is for write keys: a read or review key never goes into a web page");
            if (result.GetValue(read) && result.GetValue(review)) result.AddError("--read and --review: a key has one kind");
            foreach (var origin in given)
            {
                try
                {
                    AllowedOrigins.Normalize(origin);
                }
                catch (ArgumentException e)
                {
                    result.AddError("--origin " + e.Message.Split(" (Parameter", 2)[0]);
                }
            }
        });
        command.SetAction(async (result, ct) =>
        {
            using var store = await ProjectStore.OpenAsync(result.GetValue(dataDir)!, ct);
            var keys = new ProjectKeys(store.Store);
            var name = result.GetValue(project)!;
            if (!await keys.ExistsAsync(name, ct))
            {
                await Console.Error.WriteLineAsync($"No project '{name}'.");
                return 1;
            }
            var kind = result.GetValue(review) ? KeyKind.Review : result.GetValue(read) ? KeyKind.Read : KeyKind.Write;
            var given = result.GetValue(origins) ?? [];
            var key = given.Length > 0 ? await keys.CreateWriteKeyAsync(name, given, ct) : await keys.CreateKeyAsync(name, kind, ct);
            Console.WriteLine($"Created a {kind} key for project '{name}' (shown only this once):");
            Console.WriteLine($"    {key}");
            if (given.Length > 0)
                Console.WriteLine($"Web pages on {string.Join(", ", given.Select(AllowedOrigins.Normalize).Distinct())} may send events with it (docs/browser.md).");
            return 0;
        });
        return command;
    }
}
