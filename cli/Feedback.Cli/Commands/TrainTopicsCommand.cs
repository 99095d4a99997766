using System.CommandLine;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Topics;
using Feedback.Training.Topics;

namespace Feedback.Cli.Commands;

/// <summary>
/// <c>feedback train-topics</c>: the complaint kinds topics are found with (docs/analytics.md, "Topics"), rebuilt
/// after training/topics/complaints.jsonl changes.
/// </summary>
public static class TrainTopicsCommand
{
    public static Command Create()
    {
        var corpus = new Option<string?>("--corpus") { Description = "Labelled complaints as JSON Lines (default: training/topics/complaints.jsonl, shipped in the assembly)" };
        var output = new Option<string>("--out") { Description = "Where to write the complaint kinds", DefaultValueFactory = _ => "complaint-kinds.bin" };
        var command = new Command("train-topics", "Build the complaint kinds that topics of negative feedback are found with") { corpus, output };
        command.SetAction(result =>
        {
            var complaints = result.GetValue(corpus) is { } file ? LabelledComplaint.Read(file) : ComplaintKindsTraining.Corpus();
            // The float encoder, as the shipped kinds were built: the int8 one the product reads with is 0.99 cosine
            // of it, and the shipped file stays what this command writes.
            var kinds = ComplaintKindsTraining.Build(complaints, new MiniLmEmbedder(quantized: false));
            using (var stream = File.Create(result.GetValue(output)!)) kinds.Write(stream);
            Console.WriteLine($"Wrote {result.GetValue(output)}: {kinds.Kinds.Count} kinds from {complaints.Count} labelled complaints.");
            return 0;
        });
        return command;
    }
}
