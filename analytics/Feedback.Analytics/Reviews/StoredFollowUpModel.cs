using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Analytics.Reviews;

/// <summary>
/// A row of <c>follow_up_models</c> (migration 0026): a project's own follow-up classifier (the bundle, base64), its
/// version (a hash of the bundle), and its k-fold figures on the project's reviews next to the shipped model's.
/// </summary>
public sealed record StoredFollowUpModel(
    string Project, DateTimeOffset TrainedAt, string Version, string Model, int Reviews, float ReviewWeight, byte Folds,
    double ProjectMacroF1, double ProjectAccuracy, double ShippedMacroF1, double ShippedAccuracy)
{
    public FollowUpClassifier Load()
    {
        using var bundle = new MemoryStream(Convert.FromBase64String(Model));
        return FollowUpClassifier.Load(bundle);
    }
}
