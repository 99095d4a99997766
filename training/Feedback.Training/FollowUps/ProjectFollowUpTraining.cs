using System.Globalization;
using System.Text;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Reviews;
using Feedback.Analytics.Store;

namespace Feedback.Training.FollowUps;

/// <summary>
/// What `feedback train --project P` does (docs/reviews.md, "Per-project model"): the shipped classifier's training
/// (<see cref="FollowUpClassifierTrainer"/>, same features, same calibration on the shipped validation split) on the
/// shipped corpus plus the project's reviewed follow-ups, each review counting as <c>reviewWeight</c> corpus examples;
/// measured by k-fold on the reviews next to the shipped model, and stored for every mining process
/// (<see cref="ProjectFollowUpModels"/>).
/// </summary>
public static class ProjectFollowUpTraining
{
    /// <summary>Fewer reviews than this and neither the model nor its figures would mean much: training refuses.</summary>
    public const int MinimumReviews = 20;

    /// <summary>Each review counts as this many corpus examples unless told otherwise (`--review-weight`).</summary>
    public const float DefaultReviewWeight = 10;

    public const int Folds = 5;

    /// <summary>
    /// Reads <paramref name="project"/>'s reviews, trains on the shipped corpus (<paramref name="corpus"/>, default the
    /// embedded train split) plus them, stores the model and returns its row with its figures.
    /// </summary>
    /// <exception cref="InvalidOperationException">Fewer than <see cref="MinimumReviews"/> reviews.</exception>
    public static async Task<(StoredFollowUpModel Stored, ProjectModelFigures Figures)> RunAsync(IClickHouse store, TimeProvider clock, string project,
        float reviewWeight = DefaultReviewWeight, IReadOnlyList<LabelledFollowUp>? corpus = null, CancellationToken cancellationToken = default)
    {
        var models = new ProjectFollowUpModels(store);
        var reviews = (await models.ReviewedAsync(project, cancellationToken).ConfigureAwait(false))
            .Select(r => new LabelledFollowUp(r.FollowUp, r.Label)).ToList();
        if (reviews.Count < MinimumReviews)
            throw new InvalidOperationException(
                $"Project '{project}' has {reviews.Count} reviewed follow-ups; a project model needs at least {MinimumReviews} (review more with `feedback review` or the dashboard).");
        var (bundle, figures) = Train(corpus ?? FollowUpCorpus.Load(FollowUpCorpus.Train), FollowUpCorpus.Load(FollowUpCorpus.Validation), reviews, reviewWeight);
        var row = new StoredFollowUpModel(project, clock.GetUtcNow(), ProjectFollowUpModels.VersionOf(bundle), Convert.ToBase64String(bundle),
            reviews.Count, reviewWeight, Folds, figures.ProjectMacroF1, figures.Project.Accuracy, figures.ShippedMacroF1, figures.Shipped.Accuracy);
        return (await models.SaveAsync(row, cancellationToken).ConfigureAwait(false), figures);
    }

    /// <summary>
    /// The bundle trained on <paramref name="corpus"/> and every review, and the k-fold figures: for each fold of the
    /// reviews (the i-th review in fold i mod <see cref="Folds"/>), the semantic model trained on the corpus and the
    /// other folds labels that fold; the shipped model labels every review.
    /// </summary>
    public static (byte[] Bundle, ProjectModelFigures Figures) Train(IReadOnlyList<LabelledFollowUp> corpus, IReadOnlyList<LabelledFollowUp> validation,
        IReadOnlyList<LabelledFollowUp> reviews, float reviewWeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reviewWeight);
        var embedder = MiniLmEmbedder.Shared;
        var predicted = new string[reviews.Count];
        for (var fold = 0; fold < Folds; fold++)
        {
            var held = Enumerable.Range(0, reviews.Count).Where(i => i % Folds == fold).ToList();
            var rest = reviews.Where((_, i) => i % Folds != fold).ToList();
            // The classifier's label is the semantic model's (the cascade is off): the temperature changes no label, so
            // the folds skip the calibration.
            var model = FollowUpModelTrainer.Train([.. corpus, .. rest], FollowUpTraining.Semantic, embedder, Weights(corpus.Count, rest.Count, reviewWeight));
            var labels = model.PredictAll(held.Select(i => reviews[i].FollowUp).ToList(), embedder).Select(p => model.Best(p).Label).ToList();
            for (var n = 0; n < held.Count; n++) predicted[held[n]] = labels[n];
        }
        var gold = reviews.Select(r => r.Label).ToList();
        var shipped = FollowUpClassifier.LoadShipped().ClassifyAll(reviews.Select(r => r.FollowUp).ToList()).Select(p => p.Label).ToList();
        var figures = new ProjectModelFigures(reviews.Count, Folds, ClassificationReport.Compute(gold, predicted), ClassificationReport.Compute(gold, shipped));

        using var bundle = new MemoryStream();
        FollowUpClassifierTrainer.Train([.. corpus, .. reviews], validation, FollowUpTraining.Semantic, embedder, bundle,
            weights: Weights(corpus.Count, reviews.Count, reviewWeight));
        return (bundle.ToArray(), figures);
    }

    /// <summary>What `feedback train --project` prints.</summary>
    public static string Describe(StoredFollowUpModel stored, ProjectModelFigures figures, int corpusSize) =>
        new StringBuilder()
            .Append(CultureInfo.InvariantCulture,
                $"Trained the follow-up model of '{stored.Project}' on the shipped corpus ({corpusSize} follow-ups) and {stored.Reviews} reviewed follow-ups, each counting as {stored.ReviewWeight:0.##}.\n")
            .Append(CultureInfo.InvariantCulture, $"{figures.Folds}-fold on the project's {figures.Reviews} reviewed follow-ups (macro-F1 over the {figures.Project.Labels.Count(l => l.Support > 0)} labels they have):\n")
            .Append(CultureInfo.InvariantCulture, $"  {"",-14} {"macro-F1",9} {"accuracy",9}\n")
            .Append(CultureInfo.InvariantCulture, $"  {"project model",-14} {figures.ProjectMacroF1,9:F3} {figures.Project.Accuracy,9:F3}\n")
            .Append(CultureInfo.InvariantCulture, $"  {"shipped model",-14} {figures.ShippedMacroF1,9:F3} {figures.Shipped.Accuracy,9:F3}\n")
            .Append(CultureInfo.InvariantCulture,
                $"Stored as version {stored.Version}: the next mining run labels the project's follow-ups with it, those labelled before included.\n")
            .ToString();

    private static List<float> Weights(int corpus, int reviews, float reviewWeight) =>
        [.. Enumerable.Repeat(1f, corpus), .. Enumerable.Repeat(reviewWeight, reviews)];
}
