using Feedback.Analytics.Topics;

namespace Feedback.Cli.Reports;

/// <summary>Topics as a terminal table: id, size, a sparkline of the trend, and the label.</summary>
public static class TopicsTable
{
    private const string Bars = "▁▂▃▄▅▆▇█";

    public static void Write(TopicsView view, TextWriter output)
    {
        if (view.Topics.Count == 0)
        {
            output.WriteLine("No topics yet: they appear once a project has enough negative turns (see docs/analytics.md, \"Topics\").");
            return;
        }
        var table = new TextTable("id", "size", "trend", "label") { TextColumns = new HashSet<int> { 0, 2, 3 } };
        foreach (var topic in view.Topics)
            table.Add(topic.Id, topic.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), Sparkline(topic.Trend), topic.Label);
        output.Write(table.ToString());
    }

    /// <summary>One bar per point, scaled to the largest count; an empty bucket is a blank.</summary>
    public static string Sparkline(IReadOnlyList<TopicTrendPoint> trend)
    {
        var max = trend.Count == 0 ? 0 : trend.Max(p => p.Count);
        return string.Concat(trend.Select(p => p.Count == 0 ? ' ' : Bars[(int)Math.Min(Bars.Length - 1, (p.Count - 1) * Bars.Length / Math.Max(1, max))]));
    }
}
