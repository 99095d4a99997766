using Feedback.Analytics.Kafka;
using Feedback.Analytics.Projects;
using Feedback.Server.ClickHouseHttp;

namespace Feedback.Server.Hosting;

/// <summary>What a started process prints: its roles and addresses, and on first start the default project's keys.</summary>
public static class StartupBanner
{
    public static async Task WriteAsync(
        WebApplication app, FeedbackHostOptions options, KafkaOptions kafka, string? firstKey, TextWriter console, CancellationToken cancellationToken)
    {
        var local = app.Services.GetRequiredService<LocalServer>();
        var roles = string.Join(", ", new[]
        {
            options.Capture ? $"capture API on {local.Url}, events to {(kafka.Enabled ? $"Kafka topic {kafka.Topic}" : "the store")}" : $"health on {local.Url}",
            options.Load ? $"loader from Kafka topic {kafka.Topic}" : null,
            options.MineEvery > TimeSpan.Zero
                ? $"miner every {options.MineEvery.TotalSeconds:0} s{(kafka.Enabled ? $" over the shards group {kafka.MiningGroup} gives it" : "")}"
                : null,
        }.Where(r => r is not null));
        await console.WriteLineAsync($"Feedback is running: {roles}; data in {options.DataDirectory ?? "the ClickHouse server"}");
        if (options.Capture) await console.WriteLineAsync($"Dashboard: {Dashboard.Url(local.Url)}");
        if (app.Services.GetService<ClickHouseHttpServer>() is { } clickHouse)
            await console.WriteLineAsync($"ClickHouse HTTP interface on {clickHouse.Url} (user '{options.ClickHouseHttp!.User}', password as given)");
        if (firstKey is not null)
        {
            await console.WriteLineAsync($"Created project '{ProjectKeys.DefaultProject}'. Its write key (shown only this once, keep it):");
            await console.WriteLineAsync($"    {firstKey}");
            if (options.Capture)
            {
                // The dashboard needs a read key; the fragment (#key=) never reaches a server, and the page keeps it.
                var readKey = await app.Services.GetRequiredService<ProjectKeys>().CreateKeyAsync(ProjectKeys.DefaultProject, KeyKind.Read, cancellationToken);
                await console.WriteLineAsync("Its dashboard, with a read key (shown only this once; the page remembers it):");
                await console.WriteLineAsync($"    {Dashboard.Url(local.Url)}#key={readKey}");
            }
        }
    }
}
