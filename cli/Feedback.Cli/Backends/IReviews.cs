using Feedback.Analytics.Reviews;

namespace Feedback.Cli.Backends;

/// <summary>The review queue (<c>feedback review</c>): the follow-ups waiting for a person, and people's labels for them.</summary>
public interface IReviews
{
    Task<ReviewQueuePage> ReadQueueAsync(string project, int limit, CancellationToken cancellationToken);

    /// <summary>Stores the reviews it can; the refused ones come back with their reasons.</summary>
    Task<ReviewOutcome> SubmitAsync(string project, string reviewer, IReadOnlyList<FollowUpReview> reviews, CancellationToken cancellationToken);
}
