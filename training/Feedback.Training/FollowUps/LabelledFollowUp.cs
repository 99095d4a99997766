using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Training.FollowUps;

/// <summary>A labelled follow-up of the corpus.</summary>
public sealed record LabelledFollowUp(FollowUp FollowUp, string Label);
