namespace Feedback.Training.FollowUps;

/// <summary>One label's precision, recall and F1, and how many gold examples it has.</summary>
public sealed record LabelScore(string Label, double Precision, double Recall, double F1, int Support);
