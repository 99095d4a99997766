using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Training.FollowUps;

/// <summary>Scores the classifier and the keyword baseline on the same examples.</summary>
public static class FollowUpEvaluation
{
    public static ClassificationReport Model(FollowUpClassifier classifier, IReadOnlyList<LabelledFollowUp> examples) =>
        Model(classifier.ClassifyAll(examples.Select(e => e.FollowUp).ToList()), examples);

    public static ClassificationReport Model(IReadOnlyList<FollowUpPrediction> predictions, IReadOnlyList<LabelledFollowUp> examples) =>
        ClassificationReport.Compute(examples.Select(e => e.Label).ToList(), predictions.Select(p => p.Label).ToList());

    public static CalibrationReport Calibration(IReadOnlyList<FollowUpPrediction> predictions, IReadOnlyList<LabelledFollowUp> examples) =>
        CalibrationReport.Compute(predictions.Select(p => p.Confidence).ToList(), predictions.Zip(examples, (p, e) => p.Label == e.Label).ToList());

    public static ClassificationReport Baseline(IReadOnlyList<LabelledFollowUp> examples) =>
        ClassificationReport.Compute(examples.Select(e => e.Label).ToList(), examples.Select(e => KeywordBaseline.Classify(e.FollowUp)).ToList());
}
