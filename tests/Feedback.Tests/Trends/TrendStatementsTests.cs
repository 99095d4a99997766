using System.Text.RegularExpressions;
using Feedback.Analytics.Conversations;
using Feedback.Analytics.Trends;

namespace Feedback.Tests.Trends;

/// <summary>
/// The trend statements are whole, so the turn filter, the breakdown key and the bucket are written in each: they must
/// stay the same, or a chart's point, its evaluator series and the conversations behind it would disagree.
/// </summary>
public sealed class TrendStatementsTests
{
    [Fact]
    public void The_counts_the_evaluator_series_and_the_drill_down_filter_turns_the_same_way()
    {
        string[] statements = [TurnCountQuery.Counts, EvaluationScoreQuery.Scores, ConversationReader.List];
        var filters = statements.Select(s => Lines(s, "WHERE project = {project:String}", "{metadata_values:Array(String)})")).ToList();
        Assert.Contains("{metadata_keys:Array(String)}", filters[0], StringComparison.Ordinal);
        Assert.All(filters, f => Assert.Equal(filters[0], f));
    }

    [Fact]
    public void The_counts_the_evaluator_series_and_the_drill_down_break_down_by_the_same_key()
    {
        string[] statements = [TurnCountQuery.Counts, EvaluationScoreQuery.Scores, ConversationReader.List];
        var keys = statements.Select(s => Lines(s, "multiIf({by:String} = 'model'", "metadata[{field_key:String}], '')")).ToList();
        Assert.Contains("metadata[{field_key:String}]", keys[0], StringComparison.Ordinal);
        Assert.All(keys, k => Assert.Equal(keys[0], k));
    }

    [Fact]
    public void The_counts_and_the_evaluator_series_bucket_time_the_same_way()
    {
        var buckets = new[] { TurnCountQuery.Counts, EvaluationScoreQuery.Scores }
            .Select(s => Lines(s, "multiIf({interval:String} = 'hour'", "{from:DateTime64(3, 'UTC')})")).ToList();
        Assert.Contains("toMonday(turn_timestamp)", buckets[0], StringComparison.Ordinal);
        Assert.Equal(buckets[0], buckets[1]);
    }

    // From first up to last, each line trimmed (the statements indent differently).
    private static string Lines(string statement, string first, string last)
    {
        var match = Regex.Match(statement, Regex.Escape(first) + ".*?" + Regex.Escape(last), RegexOptions.Singleline);
        Assert.True(match.Success, $"'{first}' … '{last}' not found in:\n{statement}");
        return string.Join('\n', match.Value.Split('\n').Select(l => l.Trim()));
    }
}
