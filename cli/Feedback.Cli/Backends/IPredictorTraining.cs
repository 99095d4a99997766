using Feedback.Analytics.Mining.Predictor;

namespace Feedback.Cli.Backends;

/// <summary>Trains a project's reaction predictor (<c>feedback train-predictor</c>).</summary>
public interface IPredictorTraining
{
    /// <summary>Trains and summarises the predictor; <see cref="InvalidOperationException"/> with the reason when it cannot.</summary>
    Task<PredictorSummary> TrainAsync(string project, CancellationToken cancellationToken);
}
