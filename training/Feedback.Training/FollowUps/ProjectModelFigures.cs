namespace Feedback.Training.FollowUps;

/// <summary>
/// The k-fold figures of a project's model on the project's reviewed follow-ups, next to the shipped model's on the
/// same follow-ups. Macro-F1 is over the labels the reviews contain (a label no one reviewed says nothing here).
/// </summary>
public sealed record ProjectModelFigures(int Reviews, int Folds, ClassificationReport Project, ClassificationReport Shipped)
{
    public double ProjectMacroF1 => PresentMacroF1(Project);

    public double ShippedMacroF1 => PresentMacroF1(Shipped);

    private static double PresentMacroF1(ClassificationReport report) => report.Labels.Where(l => l.Support > 0).Average(l => l.F1);
}
