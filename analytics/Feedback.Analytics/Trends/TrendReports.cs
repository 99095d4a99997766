namespace Feedback.Analytics.Trends;

/// <summary>Trends and comparisons of a project's turns (docs/analytics.md), for the read API and the CLI alike.</summary>
public sealed class TrendReports(TurnCountQuery counts, EvaluationScoreQuery evaluations)
{
    /// <summary>Both queries over one store.</summary>
    public TrendReports(Store.IClickHouse store)
        : this(new TurnCountQuery(store), new EvaluationScoreQuery(store))
    {
    }

    public async Task<TrendReport> TrendsAsync(TrendFilter filter, TrendInterval interval, TrendField? by, CancellationToken cancellationToken = default)
    {
        var rows = await counts.PerBucketAsync(filter, interval, by, cancellationToken).ConfigureAwait(false);
        var series = rows.GroupBy(r => r.Key)
            .Select(g => new TrendSeries(g.Key, g.OrderBy(r => r.Time).Select(TrendPoint.From).ToList()))
            .ToList();
        var evaluated = await evaluations.PerBucketAsync(filter, interval, by, cancellationToken).ConfigureAwait(false);
        var evaluationSeries = evaluated.GroupBy(r => (r.Key, r.EvaluationName))
            .Select(g => new EvaluationSeries(g.Key.Key, g.Key.EvaluationName, g.OrderBy(r => r.Time).Select(EvaluationPoint.From).ToList()))
            .ToList();
        return new TrendReport(filter.From.UtcDateTime, filter.To.UtcDateTime, interval.Name, by?.Name, series, evaluationSeries);
    }

    public async Task<ComparisonReport> CompareAsync(
        TrendFilter filter, TrendField field, string a, string b, double confidence, CancellationToken cancellationToken = default)
    {
        var rows = await counts.ForValuesAsync(filter, field, a, b, cancellationToken).ConfigureAwait(false);
        var groupA = Group(rows, a);
        var groupB = Group(rows, b);
        return new ComparisonReport(
            filter.From.UtcDateTime, filter.To.UtcDateTime, field.Name, confidence, groupA, groupB,
            ProportionDifference.Interval(groupA.PositiveTurns, groupA.Turns, groupB.PositiveTurns, groupB.Turns, confidence),
            ProportionDifference.Interval(groupA.NegativeTurns, groupA.Turns, groupB.NegativeTurns, groupB.Turns, confidence));
    }

    private static ComparedGroup Group(IReadOnlyList<TurnCounts> rows, string value)
    {
        var c = rows.FirstOrDefault(r => r.Key == value);
        long turns = c?.Turns ?? 0, positive = c?.PositiveTurns ?? 0, negative = c?.NegativeTurns ?? 0;
        return new ComparedGroup(value, turns, positive, negative, TrendPoint.Rate(positive, turns), TrendPoint.Rate(negative, turns));
    }
}
