using Feedback.Analytics.Trends;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Backends;

/// <summary>Trends and comparisons (<c>feedback trends</c>, <c>feedback compare</c>).</summary>
public interface ITrendReports
{
    Task<TrendReport> TrendsAsync(string project, TrendsQuery query, CancellationToken cancellationToken);

    Task<ComparisonReport> CompareAsync(string project, CompareQuery query, CancellationToken cancellationToken);
}
