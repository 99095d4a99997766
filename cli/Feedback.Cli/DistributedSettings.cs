using Feedback.Analytics.Store.Server;

namespace Feedback.Cli;

/// <summary>The distributed mode's settings: appsettings.json beside the app, then environment variables (e.g. Feedback__Kafka__BootstrapServers).</summary>
public static class DistributedSettings
{
    public static IConfiguration Read() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>The ClickHouse server of the distributed mode, or null for the embedded store.</summary>
    public static string? ServerConnectionString() =>
        Read().GetSection(ClickHouseOptions.Section).Get<ClickHouseOptions>()?.ConnectionString is { Length: > 0 } cs ? cs : null;
}
