using System.Reflection;
using System.Text.Json;
using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Training.FollowUps;

/// <summary>
/// The labelled corpus (training/followups/*.jsonl, docs/mining.md "Corpus"): train, validation and test written by
/// separate writers, and the independent held-out set, never trained on nor used to choose anything. Embedded in the
/// assembly so `feedback train` and the tests work from any directory; a directory with the same file names can
/// replace it.
/// </summary>
public static class FollowUpCorpus
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";
    public const string Heldout = "heldout";

    public static IReadOnlyList<LabelledFollowUp> Load(string split, string? directory = null)
    {
        using var stream = directory is null
            ? typeof(FollowUpCorpus).Assembly.GetManifestResourceStream($"FollowUps/corpus/{split}.jsonl")
                ?? throw new InvalidOperationException($"Corpus split '{split}' is not embedded.")
            : File.OpenRead(Path.Combine(directory, $"{split}.jsonl"));
        return Read(stream);
    }

    public static IReadOnlyList<LabelledFollowUp> Read(Stream stream)
    {
        var examples = new List<LabelledFollowUp>();
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var row = JsonSerializer.Deserialize<Row>(line, Options)!;
            examples.Add(new LabelledFollowUp(new FollowUp(row.Prompt, row.Response, row.Followup), row.Label));
        }
        return examples;
    }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private sealed record Row(string Prompt, string Response, string Followup, string Label);
}
