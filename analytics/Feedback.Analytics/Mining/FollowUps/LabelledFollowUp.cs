namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>A labelled follow-up of the corpus.</summary>
public sealed record LabelledFollowUp(FollowUp FollowUp, string Label);
