namespace Feedback.Analytics.Mining.Predictor;

/// <summary>A row of <c>turn_predictions</c>.</summary>
public sealed record TurnPrediction(string Project, string TurnId, float PPositive, DateTimeOffset PredictorTrainedAt, DateTimeOffset ScoredAt);
