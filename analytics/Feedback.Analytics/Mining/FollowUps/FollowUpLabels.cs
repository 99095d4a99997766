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

/// <summary>One turn to classify: the request, the answer, and the user's next message.</summary>
public sealed record FollowUp(string Prompt, string Response, string Followup);

/// <summary>A label with the classifier's probability for it (0..1).</summary>
public sealed record FollowUpPrediction(string Label, float Confidence);

/// <summary>A labelled follow-up of the corpus.</summary>
public sealed record LabelledFollowUp(FollowUp FollowUp, string Label);
