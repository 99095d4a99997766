using Feedback.Analytics.Mining.Predictor;
using Feedback.Events;

namespace Feedback.Cli.Backends;

public sealed class RemotePredictorTraining(HttpClient http) : IPredictorTraining
{
    public async Task<PredictorSummary> TrainAsync(string project, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"v1/predictor/train?project={Uri.EscapeDataString(project)}", null, cancellationToken);
        return await RemoteCall.ReadAsync<PredictorSummary>(response, FeedbackJson.Options, cancellationToken);
    }
}
