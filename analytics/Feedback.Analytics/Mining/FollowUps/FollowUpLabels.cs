namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>What the user's next message says about the previous answer (taxonomy of "Learning from Naturally Occurring Feedback").</summary>
public static class FollowUpLabels
{
    public const string Positive = "positive";
    public const string Rephrase = "rephrase";
    public const string Correction = "correction";
    public const string Complaint = "complaint";
    public const string Clarification = "clarification";
    public const string None = "none";

    public static IReadOnlyList<string> All { get; } = [Positive, Rephrase, Correction, Complaint, Clarification, None];
}
