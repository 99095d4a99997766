using System.Text.Json;
using Feedback.Server.Auth;

namespace Feedback.Server.Hosting;

/// <summary>The server's HTTP surface: its controllers (capture and read API), ProblemDetails, OpenAPI and health.</summary>
public static class HttpSurface
{
    public static IServiceCollection AddHttpSurface(this IServiceCollection services)
    {
        services.AddSingleton<AuthFailureLimiter>();
        services.AddControllers().AddApplicationPart(typeof(HttpSurface).Assembly)
            .AddJsonOptions(o => o.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower); // for the OpenAPI schemas
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddOperationTransformer(RequestBodyDocumentation.AddDeclaredBody));
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return services;
    }

    /// <summary>Maps the controllers, <c>/health</c> and <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapHttpSurface(this IEndpointRouteBuilder app)
    {
        app.MapControllers();
        app.MapHealthChecks("/health");
        app.MapOpenApi();
        return app;
    }
}
