using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Training.FollowUps;

namespace Feedback.Tests.Mining;

/// <summary>`feedback train` rebuilds the model deterministically, and a bundle loads back to the classifier that wrote it.</summary>
public sealed class FollowUpTrainingTests
{
    [Fact]
    public void Training_twice_writes_the_same_bundle_and_the_loaded_bundle_classifies_as_the_trained_one()
    {
        // A small slice of each split keeps this quick; the shipped set, with neighbours and relations.
        var train = FollowUpCorpus.Load(FollowUpCorpus.Train).Where((_, i) => i % 40 == 0).ToList();
        var validation = FollowUpCorpus.Load(FollowUpCorpus.Validation).Where((_, i) => i % 8 == 0).ToList();
        Assert.Equal(FollowUpLabels.All.Order(), train.Select(e => e.Label).Distinct().Order());

        using var first = new MemoryStream();
        using var second = new MemoryStream();
        var trained = FollowUpClassifierTrainer.Train(train, validation, FollowUpTraining.Semantic, MiniLmEmbedder.Shared, first);
        FollowUpClassifierTrainer.Train(train, validation, FollowUpTraining.Semantic, MiniLmEmbedder.Shared, second);

        Assert.Equal(first.ToArray(), second.ToArray());
        first.Position = 0;
        var loaded = FollowUpClassifier.Load(first);
        var probe = validation.Select(e => e.FollowUp).ToList();
        Assert.Equal(trained.ClassifyAll(probe), loaded.ClassifyAll(probe));
    }
}
