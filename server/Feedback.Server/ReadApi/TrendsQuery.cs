using System.ComponentModel.DataAnnotations;
using Feedback.Analytics.Trends;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>The query string of <c>GET /v1/trends</c>.</summary>
public sealed class TrendsQuery : TurnFilterQuery
{
    /// <summary>More buckets than this per series is refused: an hourly trend over years is a mistake, not a chart.</summary>
    public const int MaxBuckets = 10_000;

    [FromQuery(Name = "interval")] public string IntervalName { get; set; } = TrendInterval.Day.Name;

    public TrendInterval Interval => TrendInterval.Parse(IntervalName) ?? TrendInterval.Day;
    [FromQuery(Name = "by")] public string? By { get; set; }

    public TrendField? Breakdown => By is null ? null : TrendField.Parse(By);

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext)) yield return result;
        if (TrendInterval.Parse(IntervalName) is null)
        {
            yield return new ValidationResult($"interval is one of {string.Join(", ", TrendInterval.All.Select(i => i.Name))}", ["interval"]);
        }
        else
        {
            var (from, to) = Range(Now(validationContext));
            var width = Interval.Step;
            if ((to - from) / width > MaxBuckets) yield return new ValidationResult($"at most {MaxBuckets} {IntervalName}s: narrow the range or widen the interval", ["interval"]);
        }
        if (By is not null && Breakdown is null) yield return new ValidationResult($"by is {TrendField.Choices}", ["by"]);
    }

}
