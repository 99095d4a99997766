using System.CommandLine;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Cli.Backends;
using Feedback.Training.FollowUps;

namespace Feedback.Cli.Commands;

/// <summary>
/// <c>feedback train</c>: retrains the follow-up classifier and prints its metrics next to a keyword baseline
/// (docs/mining.md); with <c>--project P</c>, trains P's own model from the shipped corpus and P's reviews, stores it
/// for every mining process and prints its k-fold figures next to the shipped model's (docs/reviews.md).
/// </summary>
public static class TrainCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var corpus = new Option<string?>("--corpus") { Description = "Directory with train/validation/test/heldout.jsonl (default: the corpus shipped in the assembly)" };
        var output = new Option<string>("--out") { Description = "Where to write the model bundle", DefaultValueFactory = _ => "followup-model.zip" };
        var semantic = new Option<string>("--semantic") { Description = "Feature set of the semantic model", DefaultValueFactory = _ => FollowUpTraining.Semantic.Name };
        var variants = new Option<bool>("--variants") { Description = "Also train and measure every feature set (docs/mining.md, \"Variants\")" };
        var cascade = new Option<bool>("--cascade") { Description = "Let the cheap n-gram model decide alone when it is sure (faster, less accurate on new phrasing)" };
        var project = new Option<string?>("--project") { Description = "Train this project's own model from the shipped corpus and its reviewed follow-ups, and store it (docs/reviews.md)" };
        var reviewWeight = new Option<float>("--review-weight")
        {
            Description = "With --project: how many corpus examples each reviewed follow-up counts as",
            DefaultValueFactory = _ => ProjectFollowUpTraining.DefaultReviewWeight,
        };
        var command = new Command("train", "Train the follow-up classifier and print its metrics next to the keyword baseline, or a project's own from its reviews")
        {
            corpus, output, semantic, variants, cascade, project, reviewWeight,
        };
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(project) is not { } name)
            {
                Console.Write(FollowUpTraining.Run(result.GetValue(corpus), result.GetValue(output)!, result.GetValue(semantic)!, result.GetValue(variants), result.GetValue(cascade)));
                return 0;
            }
            if (result.GetValue(reviewWeight) is var weight && weight <= 0)
            {
                await Console.Error.WriteLineAsync("--review-weight must be above 0.");
                return 1;
            }
            using var backend = await StoreBackend.OpenAsync(result.GetValue(dataDir)!, ct);
            try
            {
                Console.Write(await backend.ProjectModel.TrainAsync(name, weight, ct));
                return 0;
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
        });
        return command;
    }
}
