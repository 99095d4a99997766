using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;

namespace Feedback.Cli.Backends;

public sealed class InProcessMining(IClickHouse store) : IMining
{
    public Task<MiningResult> RunAsync(CancellationToken cancellationToken) => MiningJob.Over(store, TimeProvider.System).RunAsync(cancellationToken);
}
