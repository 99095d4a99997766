using Feedback.Analytics.Schema;
using Feedback.Analytics.Store.ChDb;
using Feedback.Server.Hosting;

namespace Feedback.Cli.Backends;

/// <summary>
/// What the store commands run against, chosen here and only here: the running server that holds the data
/// directory (chDB lets one process open a store, so then everything goes through its <c>/v1</c> routes with the
/// local token), or else the store itself, opened in this process.
/// </summary>
public sealed class StoreBackend : IDisposable
{
    private readonly IDisposable owned;

    private StoreBackend(IDisposable owned) => this.owned = owned;

    public required IMining Mining { get; init; }
    public required IExporter Exporter { get; init; }
    public required ITrendReports Trends { get; init; }
    public required ITopics Topics { get; init; }
    public required IPredictorTraining Predictor { get; init; }
    public required IBiasReports Bias { get; init; }
    public required IProjectModelTraining ProjectModel { get; init; }
    public required IReviews Reviews { get; init; }

    public static async Task<StoreBackend> OpenAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        if (LocalServer.Find(dataDirectory) is { } server && ChDbEngine.IsInUse(dataDirectory))
        {
            var http = server.Client();
            return new StoreBackend(http)
            {
                Mining = new RemoteMining(http),
                Exporter = new RemoteExporter(http),
                Trends = new RemoteTrendReports(http),
                Topics = new RemoteTopics(http),
                Predictor = new RemotePredictorTraining(http),
                Bias = new RemoteBiasReports(http),
                ProjectModel = new RemoteProjectModelTraining(),
                Reviews = new RemoteReviews(http),
            };
        }
        var engine = ChDbEngine.Open(dataDirectory);
        await Migrator.MigrateAsync(engine, cancellationToken);
        return new StoreBackend(engine)
        {
            Mining = new InProcessMining(engine),
            Exporter = new InProcessExporter(engine),
            Trends = new InProcessTrendReports(engine),
            Topics = new InProcessTopics(engine),
            Predictor = new InProcessPredictorTraining(engine),
            Bias = new InProcessBiasReports(engine),
            ProjectModel = new InProcessProjectModelTraining(engine),
            Reviews = new InProcessReviews(engine),
        };
    }

    public void Dispose() => owned.Dispose();
}
