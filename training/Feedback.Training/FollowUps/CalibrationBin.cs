namespace Feedback.Training.FollowUps;

/// <summary>One bin of a reliability table: predictions whose confidence is in [From, To).</summary>
public sealed record CalibrationBin(double From, double To, int Count, double MeanConfidence, double Accuracy);
