using Feedback.Analytics.Topics;

namespace Feedback.Cli.Output;

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
        var idWidth = Math.Max(2, view.Topics.Max(t => t.Id.Length));
        var sizeWidth = Math.Max(4, view.Topics.Max(t => t.Size.ToString(System.Globalization.CultureInfo.InvariantCulture).Length));
        var trendWidth = Math.Max(5, view.Topics.Max(t => t.Trend.Count));
        output.WriteLine($"{"id".PadRight(idWidth)}  {"size".PadLeft(sizeWidth)}  {"trend".PadRight(trendWidth)}  label");
        foreach (var topic in view.Topics)
            output.WriteLine($"{topic.Id.PadRight(idWidth)}  {topic.Size.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(sizeWidth)}  {Sparkline(topic.Trend).PadRight(trendWidth)}  {topic.Label}");
    }

    /// <summary>One bar per point, scaled to the largest count; an empty bucket is a blank.</summary>
    public static string Sparkline(IReadOnlyList<TopicTrendPoint> trend)
    {
        var max = trend.Count == 0 ? 0 : trend.Max(p => p.Count);
        return string.Concat(trend.Select(p => p.Count == 0 ? ' ' : Bars[(int)Math.Min(Bars.Length - 1, (p.Count - 1) * Bars.Length / Math.Max(1, max))]));
    }
}
