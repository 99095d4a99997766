using System.CommandLine;
using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback classify [FILE]</c>: labels follow-up messages given as JSON Lines (docs/mining.md).</summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("file") { Description = "JSON Lines with prompt, response, followup (default: stdin)", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string?>("--model") { Description = "Model zip to use instead of the shipped one (from `feedback train`)" };
        var command = new Command("classify", "Label follow-up messages (positive, rephrase, correction, complaint, clarification, none) as JSON Lines") { file, model };
        command.SetAction(async (result, ct) =>
        {
            // No store here: classify only needs the model, so it starts fast and runs beside a server.
            var modelFile = result.GetValue(model);
            var inputFile = result.GetValue(file);
            if (inputFile is not null && !File.Exists(inputFile))
            {
                await Console.Error.WriteLineAsync($"{inputFile}: no such file");
                return 2;
            }
            using var input = inputFile is null ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(inputFile);
            return await ClassifyJsonLines.RunAsync(input, Console.Out, Console.Error, () =>
            {
                if (modelFile is null) return FollowUpClassifier.LoadShipped();
                using var stream = File.OpenRead(modelFile);
                return FollowUpClassifier.Load(stream);
            }, ct);
        });
        return command;
    }
}
