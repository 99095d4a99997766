using System.CommandLine;
using Feedback.Analytics.Mining.Predictor;
using Feedback.Analytics.Projects;
using Feedback.Cli.Backends;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback train-predictor</c>: the reaction predictor P[positive], trained per project from its turns with explicit reactions (docs/mining.md).</summary>
public static class TrainPredictorCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var project = new Option<string>("--project") { Description = "Project whose reacted turns to train on", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
        var command = new Command("train-predictor", "Train the reaction predictor P[positive] of a project and print its AUC on held-out conversations") { project };
        command.SetAction(async (result, ct) =>
        {
            var name = result.GetValue(project)!;
            using var backend = await StoreBackend.OpenAsync(result.GetValue(dataDir)!, ct);
            PredictorSummary trained;
            try
            {
                trained = await backend.Predictor.TrainAsync(name, ct);
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
            Console.WriteLine($"Trained the reaction predictor of '{name}' on {trained.TrainTurns} turns; AUC {trained.Auc:0.000} on {trained.TestTurns} held-out turns " +
                $"({trained.PositiveShare:P0} positive). Turns without reactions are scored from the next mining run.");
            return 0;
        });
        return command;
    }
}
