using Feedback.Analytics.Schema;
using Feedback.Analytics.Store;
using Feedback.Analytics.Store.ChDb;
using Feedback.Analytics.Store.Server;

namespace Feedback.Cli;

/// <summary>
/// The store the project commands write keys to: the ClickHouse server when one is configured (distributed mode),
/// else the embedded store of the data directory; migrated.
/// </summary>
public sealed class ProjectStore : IDisposable
{
    private readonly IDisposable owned;

    private ProjectStore(IClickHouse store, IDisposable owned)
    {
        Store = store;
        this.owned = owned;
    }

    public IClickHouse Store { get; }

    public static async Task<ProjectStore> OpenAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        ProjectStore opened;
        if (DistributedSettings.ServerConnectionString() is { } server)
        {
            var store = new ClickHouseServerStore(server);
            opened = new ProjectStore(store, store);
        }
        else
        {
            var engine = ChDbEngine.Open(dataDirectory);
            opened = new ProjectStore(engine, engine);
        }
        await Migrator.MigrateAsync(opened.Store, cancellationToken);
        return opened;
    }

    public void Dispose() => owned.Dispose();
}
