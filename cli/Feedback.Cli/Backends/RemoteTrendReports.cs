using Feedback.Analytics.Trends;
using Feedback.Cli.Reports;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Backends;

public sealed class RemoteTrendReports(HttpClient http) : ITrendReports
{
    public Task<TrendReport> TrendsAsync(string project, TrendsQuery query, CancellationToken cancellationToken) =>
        GetAsync<TrendReport>($"v1/trends?{QueryString.Of(project, query)}", cancellationToken);

    public Task<ComparisonReport> CompareAsync(string project, CompareQuery query, CancellationToken cancellationToken) =>
        GetAsync<ComparisonReport>($"v1/compare?{QueryString.Of(project, query)}", cancellationToken);

    private async Task<T> GetAsync<T>(string uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken);
        return await RemoteCall.ReadAsync<T>(response, TrendTables.Json, cancellationToken);
    }
}
