using Feedback.Analytics.Store;
using Feedback.Analytics.Trends;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Backends;

public sealed class InProcessTrendReports(IClickHouse store) : ITrendReports
{
    private readonly TrendReports reports = new(store);

    public Task<TrendReport> TrendsAsync(string project, TrendsQuery query, CancellationToken cancellationToken) =>
        reports.TrendsAsync(query.ToFilter(project, DateTimeOffset.UtcNow), query.Interval, query.Breakdown, cancellationToken);

    public Task<ComparisonReport> CompareAsync(string project, CompareQuery query, CancellationToken cancellationToken) =>
        reports.CompareAsync(query.ToFilter(project, DateTimeOffset.UtcNow), query.Compared!, query.A!, query.B!, query.Confidence, cancellationToken);
}
