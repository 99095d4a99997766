using Feedback.Analytics.Store;
using Feedback.Training.FollowUps;

namespace Feedback.Cli.Backends;

public sealed class InProcessProjectModelTraining(IClickHouse store) : IProjectModelTraining
{
    public async Task<string> TrainAsync(string project, float reviewWeight, CancellationToken cancellationToken)
    {
        var corpus = FollowUpCorpus.Load(FollowUpCorpus.Train);
        var (stored, figures) = await ProjectFollowUpTraining.RunAsync(store, TimeProvider.System, project, reviewWeight, corpus, cancellationToken);
        return ProjectFollowUpTraining.Describe(stored, figures, corpus.Count);
    }
}
