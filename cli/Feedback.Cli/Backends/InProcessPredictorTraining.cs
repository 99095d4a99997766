using Feedback.Analytics.Mining.Predictor;
using Feedback.Analytics.Store;

namespace Feedback.Cli.Backends;

public sealed class InProcessPredictorTraining(IClickHouse store) : IPredictorTraining
{
    public async Task<PredictorSummary> TrainAsync(string project, CancellationToken cancellationToken) =>
        PredictorSummary.Of(await new ReactionPredictors(store, TimeProvider.System).TrainAsync(project, cancellationToken));
}
