using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store.ChDb;
using Feedback.Server.ClickHouseHttp;
using Feedback.Server.Hosting;

namespace Feedback.Tests;

/// <summary>
/// The real embedded engine, shared by every test in the assembly (chDB allows one data directory per
/// process). Tests stay apart by each working in a project of its own.
/// </summary>
public sealed class EmbeddedStore : IAsyncLifetime
{
    public ChDbEngine Engine { get; private set; } = null!;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "feedback-tests-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Engine = ChDbEngine.Open(DataDirectory);
        await Migrator.MigrateAsync(Engine);
    }

    /// <summary>A fresh project and its write key.</summary>
    public async Task<(string Project, string Key)> NewProjectAsync()
    {
        var project = "t-" + Guid.NewGuid().ToString("N")[..12];
        return (project, await new ProjectKeys(Engine).CreateProjectAsync(project));
    }

    /// <summary>Starts the embedded host on a free port over the shared engine, with the schedule off.</summary>
    public Task<WebApplication> StartHostAsync() =>
        FeedbackHost.StartAsync(new FeedbackHostOptions { DataDirectory = DataDirectory, Port = 0, MineEvery = TimeSpan.Zero }, Engine, TextWriter.Null);

    public const string ClickHousePassword = "test-clickhouse-password";

    /// <summary>
    /// Starts the ClickHouse HTTP interface on a free port over the shared engine (user default, <see cref="ClickHousePassword"/>),
    /// writes allowed unless said otherwise. Unless a test gives a time limit, statements get ten minutes: here the
    /// interface stands in for a ClickHouse server, which sets no limit, and the product's 5 s default (meant for
    /// outside users) would fail a mining query on a slow or busy machine.
    /// </summary>
    public Task<ClickHouseHttpServer> StartClickHouseHttpAsync(bool allowWrites = true, TimeSpan? maxExecutionTime = null, long? maxResultBytes = null)
    {
        var options = new ClickHouseHttpOptions
        {
            Port = 0,
            Password = ClickHousePassword,
            AllowWrites = allowWrites,
            MaxExecutionTime = maxExecutionTime ?? TimeSpan.FromMinutes(10),
        };
        if (maxResultBytes is { } bytes) options.MaxResultBytes = bytes;
        return ClickHouseHttpServer.StartAsync(options, Engine);
    }

    public Task DisposeAsync()
    {
        // The engine stays open until the test process ends: chDB keeps one storage path per process.
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SharedStore : ICollectionFixture<EmbeddedStore>
{
    public const string Name = "embedded store";
}
