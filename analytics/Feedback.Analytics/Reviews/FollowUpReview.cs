namespace Feedback.Analytics.Reviews;

/// <summary>
/// A person's verdict on one follow-up event: a label of <see cref="Mining.FollowUps.FollowUpLabels"/> (confirming
/// the proposed one or picking another), or <see cref="Skip"/>.
/// </summary>
public sealed record FollowUpReview(Guid EventId, string Label)
{
    /// <summary>Keeps the model's label and takes the follow-up out of the queue.</summary>
    public const string Skip = "skip";
}
