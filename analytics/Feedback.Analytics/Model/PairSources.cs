namespace Feedback.Analytics.Model;

/// <summary>Where a pair came from (the research brief's pair sources, strongest first).</summary>
public static class PairSources
{
    public const string Edit = "edit";

    /// <summary>The user picked one of several answers shown; never mixed with ratings-derived pairs (filter on <c>source</c>).</summary>
    public const string Choice = "choice";

    /// <summary>The user asked for a new answer and then approved it.</summary>
    public const string Regenerate = "regenerate";

    /// <summary>A correction or rephrase follow-up, then a later answer in the conversation that the user approved.</summary>
    public const string FollowUp = "follow_up";

    /// <summary>The same normalised request answered differently, one answer approved and one disapproved (thumbs, emoji).</summary>
    public const string SameRequest = "same_request";

    /// <summary>As <see cref="SameRequest"/>, but at least one side judged only by a rating: ratings-derived, so kept apart.</summary>
    public const string SameRequestRating = "same_request_rating";
}
