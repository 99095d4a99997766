using Feedback.Analytics.Topics;
using Feedback.Analytics.Trends;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>The query string of <c>GET /v1/topics</c>.</summary>
public sealed class TopicsParameters
{
    public const int MaxLimit = 100;
    public const int MaxPoints = 1000;

    [FromQuery(Name = "from")] public DateTimeOffset? From { get; set; }
    [FromQuery(Name = "to")] public DateTimeOffset? To { get; set; }
    [FromQuery(Name = "interval")] public string Interval { get; set; } = "day";
    [FromQuery(Name = "limit")] public int Limit { get; set; } = 20;

    /// <summary>The query these parameters ask for at <paramref name="now"/>, or why they are wrong.</summary>
    public (TopicQuery? Query, string? Error) ToQuery(DateTimeOffset now)
    {
        var to = To ?? now;
        var from = From ?? to.AddDays(-30);
        if (from >= to) return (null, "from must be before to");
        if (TrendInterval.Parse(Interval) is not { } interval)
            return (null, $"interval is one of {string.Join(", ", TrendInterval.All.Select(i => i.Name))}");
        if (Limit is < 1 or > MaxLimit) return (null, $"limit is between 1 and {MaxLimit}");
        if (interval.Count(from, to) > MaxPoints)
            return (null, $"the range holds more than {MaxPoints} {interval.Name}s: choose a longer interval or a shorter range");
        return (new TopicQuery(from, to, interval, Limit), null);
    }
}
