using System.Text.Json;
using Feedback.Analytics.Store;
using Feedback.Ingest.Batches;
using Feedback.Ingest.Controllers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Feedback.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>The capture API's services. The host adds an <see cref="IEventSink"/> and the store.</summary>
    public static IServiceCollection AddFeedbackIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<IngestOptions>(configuration.GetSection(IngestOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IngestOptions>>().Value);
        services.AddSingleton<BatchReader>();
        services.AddSingleton<EventValidator>();
        services.AddSingleton<BatchProcessor>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuthFailureLimiter>();
        services.AddControllers().AddApplicationPart(typeof(BatchController).Assembly)
            .AddJsonOptions(o => o.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower); // for the OpenAPI schemas
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddOperationTransformer(RequestBodyDocumentation.AddDeclaredBody));
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return services;
    }

    /// <summary>Maps the controllers, <c>/health</c> and <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapFeedbackIngest(this IEndpointRouteBuilder app)
    {
        app.MapControllers();
        app.MapHealthChecks("/health");
        app.MapOpenApi();
        return app;
    }

    private sealed class StoreHealthCheck(IClickHouse store) : IHealthCheck
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
}
