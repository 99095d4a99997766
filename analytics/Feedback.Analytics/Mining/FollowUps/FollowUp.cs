namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>One turn to classify: the request, the answer, and the user's next message.</summary>
public sealed record FollowUp(string Prompt, string Response, string Followup);
