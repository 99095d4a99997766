using Feedback.Analytics.Mining;
using Feedback.Events;

namespace Feedback.Cli.Backends;

public sealed class RemoteMining(HttpClient http) : IMining
{
    public async Task<MiningResult> RunAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("v1/mining/run", null, cancellationToken);
        return await RemoteCall.ReadAsync<MiningResult>(response, FeedbackJson.Options, cancellationToken);
    }
}
