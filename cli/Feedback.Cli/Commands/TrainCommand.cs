using System.CommandLine;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Training.FollowUps;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback train</c>: retrains the follow-up classifier and prints its metrics next to a keyword baseline (docs/mining.md).</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var corpus = new Option<string?>("--corpus") { Description = "Directory with train/validation/test/heldout.jsonl (default: the corpus shipped in the assembly)" };
        var output = new Option<string>("--out") { Description = "Where to write the model bundle", DefaultValueFactory = _ => "followup-model.zip" };
        var semantic = new Option<string>("--semantic") { Description = "Feature set of the semantic model", DefaultValueFactory = _ => FollowUpTraining.Semantic.Name };
        var variants = new Option<bool>("--variants") { Description = "Also train and measure every feature set (docs/mining.md, \"Variants\")" };
        var cascade = new Option<bool>("--cascade") { Description = "Let the cheap n-gram model decide alone when it is sure (faster, less accurate on new phrasing)" };
        var command = new Command("train", "Train the follow-up classifier and print its metrics next to the keyword baseline") { corpus, output, semantic, variants, cascade };
        command.SetAction(result =>
        {
            Console.Write(FollowUpTraining.Run(result.GetValue(corpus), result.GetValue(output)!, result.GetValue(semantic)!, result.GetValue(variants), result.GetValue(cascade)));
            return 0;
        });
        return command;
    }
}
