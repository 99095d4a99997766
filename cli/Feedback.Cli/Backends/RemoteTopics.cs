using Feedback.Analytics.Topics;
using Feedback.Events;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Backends;

/// <summary>The server keeps topics up to date after each mining run; only a refit is asked for.</summary>
public sealed class RemoteTopics(HttpClient http) : ITopics
{
    public async Task<TopicsView> ReadAsync(string project, TopicsParameters parameters, bool refit, CancellationToken cancellationToken)
    {
        if (refit)
        {
            using var refitted = await http.PostAsync($"v1/topics/refit?project={Uri.EscapeDataString(project)}", null, cancellationToken);
            await RemoteCall.EnsureSuccessAsync(refitted, cancellationToken);
        }
        using var response = await http.GetAsync($"v1/topics?{QueryString.Of(project, parameters)}", cancellationToken);
        return await RemoteCall.ReadAsync<TopicsView>(response, FeedbackJson.Options, cancellationToken);
    }
}
