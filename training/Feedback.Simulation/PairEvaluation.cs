using System.Globalization;
using System.Text;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;

namespace Feedback.Simulation;

/// <summary>
/// Mined pairs against the simulator's ground truth. A mined pair is right when an expected pair has the same
/// source, turn id and rejected text and lists its chosen text (<see cref="ExpectedPair"/>); each expected pair
/// is matched once.
/// </summary>
public sealed record PairEvaluation(IReadOnlyList<SourceScore> Sources, IReadOnlyList<PreferencePair> Wrong, IReadOnlyList<ExpectedPair> Missed)
{
    public SourceScore Overall => new("all", Sources.Sum(s => s.Expected), Sources.Sum(s => s.Mined), Sources.Sum(s => s.Right));

    public static PairEvaluation Score(IEnumerable<ExpectedPair> expected, IEnumerable<PreferencePair> mined)
    {
        var open = expected.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        var expectedCounts = open.Values.SelectMany(v => v).GroupBy(p => p.Source).ToDictionary(g => g.Key, g => g.Count());
        var wrong = new List<PreferencePair>();
        var minedCounts = new Dictionary<string, int>();
        var rightCounts = new Dictionary<string, int>();
        foreach (var pair in mined)
        {
            minedCounts[pair.Source] = minedCounts.GetValueOrDefault(pair.Source) + 1;
            var candidates = open.GetValueOrDefault((pair.Source, pair.TurnId, pair.Rejected));
            var match = candidates?.FirstOrDefault(e => e.Chosen.Contains(pair.Chosen));
            if (match is null)
            {
                wrong.Add(pair);
                continue;
            }
            candidates!.Remove(match);
            rightCounts[pair.Source] = rightCounts.GetValueOrDefault(pair.Source) + 1;
        }
        var sources = expectedCounts.Keys.Union(minedCounts.Keys).Order(StringComparer.Ordinal)
            .Select(s => new SourceScore(s, expectedCounts.GetValueOrDefault(s), minedCounts.GetValueOrDefault(s), rightCounts.GetValueOrDefault(s)))
            .ToList();
        return new PairEvaluation(sources, wrong, open.Values.SelectMany(v => v).ToList());
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder("| source | expected | mined | right | precision | recall |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var s in Sources.Append(Overall))
            text.Append(CultureInfo.InvariantCulture, $"| {(s.Source == "all" ? "**all**" : $"`{s.Source}`")} | {s.Expected} | {s.Mined} | {s.Right} | {s.Precision:0.000} | {s.Recall:0.000} |\n");
        return text.ToString();
    }

    private static (string, string, string) Key(ExpectedPair p) => (p.Source, p.TurnId, p.Rejected);
}
