namespace Feedback.Analytics.Mining.Labels;

/// <summary>What kind of event decided a label: the <c>source</c> of a label row and its export filter.</summary>
public static class LabelSources
{
    /// <summary>Thumbs, ratings and emoji.</summary>
    public const string Reaction = "reaction";
    public const string Edit = "edit";
    public const string Regenerate = "regenerate";
    public const string Copy = "copy";
    public const string FollowUp = "follow_up";
}
