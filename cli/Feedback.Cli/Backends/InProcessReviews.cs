using Feedback.Analytics.Reviews;
using Feedback.Analytics.Store;

namespace Feedback.Cli.Backends;

public sealed class InProcessReviews(IClickHouse store) : IReviews
{
    private readonly ReviewQueueReader queue = new(store);
    private readonly ReviewStore reviews = new(store, TimeProvider.System);

    public Task<ReviewQueuePage> ReadQueueAsync(string project, int limit, CancellationToken cancellationToken) =>
        queue.ReadAsync(project, limit, cancellationToken);

    public Task<ReviewOutcome> SubmitAsync(string project, string reviewer, IReadOnlyList<FollowUpReview> reviews, CancellationToken cancellationToken) =>
        this.reviews.SubmitAsync(project, reviewer, reviews, cancellationToken);
}
