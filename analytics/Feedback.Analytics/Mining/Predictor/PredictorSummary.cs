namespace Feedback.Analytics.Mining.Predictor;

/// <summary>What training printed: the stored predictor without its model bytes.</summary>
public sealed record PredictorSummary(string Project, DateTimeOffset TrainedAt, double Auc, int TrainTurns, int TestTurns, double PositiveShare)
{
    public static PredictorSummary Of(StoredPredictor p) => new(p.Project, p.TrainedAt, p.Auc, p.TrainTurns, p.TestTurns, p.PositiveShare);
}
