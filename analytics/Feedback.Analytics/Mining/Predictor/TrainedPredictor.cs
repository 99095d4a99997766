namespace Feedback.Analytics.Mining.Predictor;

/// <summary>A trained model (ML.NET zip) with its AUC on held-out conversations.</summary>
public sealed record TrainedPredictor(byte[] Model, double Auc, int TrainTurns, int TestTurns, double PositiveShare);
