using System.CommandLine;
using System.Text.Json;
using Feedback.Analytics.Events;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store.ChDb;
using Feedback.Events;
using Feedback.Simulation;

namespace Feedback.Cli.Commands;

/// <summary>
/// <c>feedback simulate</c>: seeded simulated conversations with known ground truth (docs/mining.md, "Simulator"),
/// into a file, or straight into the store.
/// </summary>
public static class SimulateCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var seed = CliOptions.Seed();
        var conversations = CliOptions.Conversations();
        var project = new Option<string>("--project") { Description = "Project the events belong to", DefaultValueFactory = _ => "sim" };
        var output = new Option<string?>("--out") { Description = "Write the events as JSON Lines to this file instead of into the store" };
        var truth = new Option<string?>("--truth") { Description = "Also write the expected pairs (ground truth) as JSON Lines to this file" };
        var command = new Command("simulate", "Generate simulated conversations with known ground truth") { seed, conversations, project, output, truth };
        command.SetAction(async (result, ct) =>
        {
            var simulation = ConversationSimulator.Run(new SimulationOptions
            {
                Seed = result.GetValue(seed),
                Conversations = result.GetValue(conversations),
                Project = result.GetValue(project)!,
            });
            if (result.GetValue(truth) is { } truthFile)
                await File.WriteAllLinesAsync(truthFile, simulation.Pairs.Select(p => JsonSerializer.Serialize(p, FeedbackJson.Options)), ct);
            if (result.GetValue(output) is { } file)
                await File.WriteAllLinesAsync(file, simulation.Events.Select(e => JsonSerializer.Serialize(e, FeedbackJson.Options)), ct);
            else
            {
                var dir = result.GetValue(dataDir)!;
                if (ChDbEngine.IsInUse(dir))
                {
                    await Console.Error.WriteLineAsync("The store is in use by a running server: stop it, or use --out and send the file to POST /v1/batch.");
                    return 1;
                }
                using var engine = ChDbEngine.Open(dir);
                await Migrator.MigrateAsync(engine, ct);
                foreach (var batch in simulation.Events.Chunk(50_000))
                    await new EventStore(engine).AppendAsync(batch, ct);
            }
            Console.WriteLine($"Simulated {simulation.Turns.Count} turns, {simulation.Events.Count} events; {simulation.Pairs.Count} pairs expected.");
            return 0;
        });
        return command;
    }
}
