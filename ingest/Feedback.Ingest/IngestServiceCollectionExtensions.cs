using Feedback.Ingest.Batches;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Feedback.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>Batch reading and validation. The host adds an <see cref="IEventSink"/> and the HTTP surface.</summary>
    public static IServiceCollection AddFeedbackIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<IngestOptions>(configuration.GetSection(IngestOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IngestOptions>>().Value);
        services.AddSingleton<BatchReader>();
        services.AddSingleton<EventValidator>();
        services.AddSingleton<BatchProcessor>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
