using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Feedback.Analytics.Reviews;
using Feedback.Events;

namespace Feedback.Cli.Backends;

/// <summary><c>GET /v1/reviews/queue</c> and <c>POST /v1/reviews</c> of the running server, with the local token and <c>?project=</c>.</summary>
public sealed class RemoteReviews(HttpClient http) : IReviews
{
    public async Task<ReviewQueuePage> ReadQueueAsync(string project, int limit, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v1/reviews/queue?project={Uri.EscapeDataString(project)}&limit={limit}", cancellationToken);
        return await RemoteCall.ReadAsync<ReviewQueuePage>(response, FeedbackJson.Options, cancellationToken);
    }

    public async Task<ReviewOutcome> SubmitAsync(string project, string reviewer, IReadOnlyList<FollowUpReview> reviews, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            $"v1/reviews?project={Uri.EscapeDataString(project)}", new { reviewer, reviews }, FeedbackJson.Options, cancellationToken);
        if (response.StatusCode != HttpStatusCode.BadRequest)
            return await RemoteCall.ReadAsync<ReviewOutcome>(response, FeedbackJson.Options, cancellationToken);
        // 400: every review refused (the ProblemDetails lists them, as the in-process outcome would), or the request
        // itself was (no reviewer, too many reviews), which in process is an ArgumentException.
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(FeedbackJson.Options, cancellationToken);
        if (problem.TryGetProperty("rejected", out var rejected))
            return new ReviewOutcome(0, rejected.Deserialize<List<RejectedReview>>(FeedbackJson.Options)!);
        throw new ArgumentException(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : "The server refused the reviews.");
    }
}
