namespace Feedback.Cli.Backends;

/// <summary>
/// The server has no training: the corpus and the trainer live in Feedback.Training, which only the CLI references
/// (docs/architecture.md), and a training takes minutes of both cores. So while a server holds the store, say so.
/// </summary>
public sealed class RemoteProjectModelTraining : IProjectModelTraining
{
    public Task<string> TrainAsync(string project, float reviewWeight, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            "A running server holds the store: stop it, run `feedback train --project` again, and start it; its next mining run uses the project's model.");
}
