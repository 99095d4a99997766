namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>A label with its calibrated confidence: the probability (0..1) that the label is right.</summary>
public sealed record FollowUpPrediction(string Label, float Confidence);
