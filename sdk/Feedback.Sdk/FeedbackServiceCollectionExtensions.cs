using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Feedback;

/// <summary>Registers <see cref="FeedbackClient"/> in a service container (docs/sdk.md).</summary>
public static class FeedbackServiceCollectionExtensions
{
    /// <summary>The configuration section read for <see cref="FeedbackClientOptions"/>.</summary>
    public const string ConfigurationSection = "Feedback";

    /// <summary>The name of the <see cref="HttpClient"/> the SDK asks <see cref="IHttpClientFactory"/> for; add handlers to it with <c>services.AddHttpClient(HttpClientName)</c>.</summary>
    public const string HttpClientName = "Feedback";

    /// <summary>
    /// Registers <see cref="FeedbackClient"/> as a singleton, with options read from the <c>Feedback</c> configuration
    /// section (when an <see cref="IConfiguration"/> is registered) and then <paramref name="configure"/>.
    /// The container disposes the client, which sends what is left within <see cref="FeedbackClientOptions.ShutdownTimeout"/>.
    /// </summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services, Action<FeedbackClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        // Configuration first, code second: what the app sets in code wins.
        var options = services.AddOptions<FeedbackClientOptions>()
            .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(ConfigurationSection).Bind(o))
            .Validate(o => o.Endpoint is { IsAbsoluteUri: true }, "Feedback:Endpoint must be an absolute URI such as http://127.0.0.1:8400")
            .Validate(o => o.MaxBatchSize > 0 && o.QueueCapacity > 0 && o.MaxAttempts > 0, "Feedback:MaxBatchSize, QueueCapacity and MaxAttempts must be positive");
        if (configure is not null) options.Configure(configure);

        // The client is a long-lived singleton holding one HttpClient: recycle connections in the pool instead of
        // rotating handlers, so DNS changes are still picked up (the documented pattern for singletons).
        services.AddHttpClient(HttpClientName)
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.TryAddSingleton(sp => new FeedbackClient(
            sp.GetRequiredService<IOptions<FeedbackClientOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetService<ILogger<FeedbackClient>>(),
            sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Registers <see cref="FeedbackClient"/> as a singleton configured from the builder's <c>Feedback</c> section
    /// (<c>appsettings.json</c>, environment variables such as <c>Feedback__WriteKey</c>, …) and then <paramref name="configure"/>.
    /// </summary>
    public static IHostApplicationBuilder AddFeedback(this IHostApplicationBuilder builder, Action<FeedbackClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddFeedback(configure);
        return builder;
    }
}
