namespace Feedback.Cli.Backends;

/// <summary>Trains a project's follow-up classifier from its reviews (<c>feedback train --project</c>).</summary>
public interface IProjectModelTraining
{
    /// <summary>Trains, stores and describes the model; <see cref="InvalidOperationException"/> with the reason when it cannot.</summary>
    Task<string> TrainAsync(string project, float reviewWeight, CancellationToken cancellationToken);
}
