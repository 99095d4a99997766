using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;
using Feedback.Analytics.Topics;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Backends;

/// <summary>No server runs: signals and topics are brought up to date here, as a mining run would.</summary>
public sealed class InProcessTopics(IClickHouse store) : ITopics
{
    public async Task<TopicsView> ReadAsync(string project, TopicsParameters parameters, bool refit, CancellationToken cancellationToken)
    {
        var query = parameters.ToQuery(DateTimeOffset.UtcNow).Query!;
        await new TurnSignalsJob(store, TimeProvider.System).DeriveAsync(cancellationToken);
        using var job = new TopicJob(store, MiniLmEmbedder.Shared, ComplaintKinds.Shipped, new TopicOptions(), TimeProvider.System);
        await (refit ? job.RefitAsync(project, cancellationToken) : job.UpdateAsync(project, cancellationToken));
        return await new TopicReader(store).ReadAsync(project, query, cancellationToken);
    }
}
