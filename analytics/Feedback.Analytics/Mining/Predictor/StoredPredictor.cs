namespace Feedback.Analytics.Mining.Predictor;

/// <summary>A row of <c>reaction_predictors</c>: the model zip (base64) and how it scored on held-out conversations.</summary>
public sealed record StoredPredictor(
    string Project, DateTimeOffset TrainedAt, string Model, double Auc, int TrainTurns, int TestTurns, double PositiveShare)
{
    public ReactionPredictor Load() => ReactionPredictor.Load(Convert.FromBase64String(Model));
}
