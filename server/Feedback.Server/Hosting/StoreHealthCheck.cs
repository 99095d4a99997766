using Feedback.Analytics.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Feedback.Server.Hosting;

/// <summary>Healthy when the store answers <c>SELECT 1</c>.</summary>
public sealed class StoreHealthCheck(IClickHouse store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ExecuteAsync("SELECT 1", cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("store unreachable", e);
        }
    }
}
