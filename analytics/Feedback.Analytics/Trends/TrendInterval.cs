namespace Feedback.Analytics.Trends;

/// <summary>A trend's bucket size: <c>hour</c>, <c>day</c> or <c>week</c> (weeks start on Monday), in UTC.</summary>
public sealed class TrendInterval
{
    public static readonly TrendInterval Hour = new("hour", TimeSpan.FromHours(1));
    public static readonly TrendInterval Day = new("day", TimeSpan.FromDays(1));
    public static readonly TrendInterval Week = new("week", TimeSpan.FromDays(7));

    public static readonly IReadOnlyList<TrendInterval> All = [Hour, Day, Week];

    private TrendInterval(string name, TimeSpan step) => (Name, Step) = (name, step);

    /// <summary>As the API names it, and the statements' parameter <c>interval</c>.</summary>
    public string Name { get; }

    public TimeSpan Step { get; }

    public static TrendInterval? Parse(string? name) => All.FirstOrDefault(i => i.Name == name);

    /// <summary>The bucket a UTC time falls in.</summary>
    public DateTime Start(DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        return Name switch
        {
            "hour" => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc),
            "day" => t.Date,
            _ => t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)),
        };
    }

    /// <summary>Every bucket that overlaps [from, to).</summary>
    public IEnumerable<DateTime> Buckets(DateTimeOffset from, DateTimeOffset to)
    {
        for (var b = Start(from); b < to.UtcDateTime; b = b.Add(Step)) yield return DateTime.SpecifyKind(b, DateTimeKind.Utc);
    }

    /// <summary>How many buckets [from, to) spans.</summary>
    public long Count(DateTimeOffset from, DateTimeOffset to) => (long)Math.Ceiling((to.UtcDateTime - Start(from)).TotalSeconds / Step.TotalSeconds);
}
