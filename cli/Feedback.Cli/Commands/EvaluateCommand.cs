using System.CommandLine;
using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store.ChDb;
using Feedback.Simulation;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback evaluate</c>: simulates into a temporary store, mines, and prints precision and recall per pair source.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var seed = CliOptions.Seed();
        var conversations = CliOptions.Conversations();
        var show = new Option<int>("--show") { Description = "Also print this many wrong and missed pairs", DefaultValueFactory = _ => 0 };
        var command = new Command("evaluate", "Simulate conversations into a fresh temporary store, mine them and print precision and recall per pair source")
        {
            seed, conversations, show,
        };
        command.SetAction(async (result, ct) =>
        {
            var simulation = ConversationSimulator.Run(new SimulationOptions
            {
                Seed = result.GetValue(seed),
                Conversations = result.GetValue(conversations),
            });
            var dir = Path.Combine(Path.GetTempPath(), "feedback-evaluate-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var engine = ChDbEngine.Open(dir);
                await Migrator.MigrateAsync(engine, ct);
                foreach (var batch in simulation.Events.Chunk(50_000))
                    await new EventStore(engine).AppendAsync(batch, ct);
                var mined = await MiningJob.Over(engine, TimeProvider.System).RunAsync(ct);
                var pairs = await engine.QueryAsync<PreferencePair>("SELECT * FROM pairs FINAL", cancellationToken: ct);
                var score = PairEvaluation.Score(simulation.Pairs, pairs);
                Console.WriteLine($"{simulation.Turns.Count} turns, {simulation.Events.Count} events; signals of {mined.TurnSignals} turns; {pairs.Count} pairs mined\n");
                Console.WriteLine(score.ToMarkdown());
                foreach (var wrong in score.Wrong.Take(result.GetValue(show)))
                    Console.WriteLine($"wrong:  {wrong.Source} {wrong.TurnId} chosen={wrong.Chosen} | rejected={wrong.Rejected} ({wrong.Confidence:0.00})");
                foreach (var missed in score.Missed.Take(result.GetValue(show)))
                    Console.WriteLine($"missed: {missed.Source} {missed.TurnId} chosen={missed.Chosen.First()} | rejected={missed.Rejected}");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
            return 0;
        });
        return command;
    }
}
