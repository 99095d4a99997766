using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;

namespace Feedback.Tests.Mining;

/// <summary>What the follow-up models read: cues, the follow-up's embedding, and its relations to the request and the answer.</summary>
public sealed class FollowUpFeaturesTests
{
    private static readonly FollowUp Correction = new("What's the capital of Australia?", "The capital of Australia is Sydney.", "no, it's canberra");
    private static readonly FollowUp NewRequest = new("What's the capital of Australia?", "The capital of Australia is Sydney.", "how long should I boil an egg?");

    [Fact]
    public void The_cheap_set_reads_no_embedding_and_needs_no_encoder()
    {
        var row = Assert.Single(FollowUpFeatures.For([Correction], ["correction"], FollowUpFeatureSet.Cheap, embedder: null));

        Assert.Equal("no, it's canberra", row.Followup);
        Assert.Equal("correction", row.Label);
        Assert.Equal(FollowUpCues.Compute(Correction), row.Cues);
        Assert.All(row.Embedding, v => Assert.Equal(0f, v));
        Assert.All(row.Relations, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void The_semantic_set_reads_the_embedding_and_the_relations_as_cosines()
    {
        var set = FollowUpFeatureSet.Variants.Single(v => v.Embedding && v.Relations && !v.Ngrams);
        var rows = FollowUpFeatures.For([Correction, NewRequest], labels: null, set, MiniLmEmbedder.Shared);
        var followup = MiniLmEmbedder.Shared.Embed(["no, it's canberra"])[0];

        Assert.Equal(MiniLmEmbedder.Size, rows[0].Embedding.Length);
        Assert.Equal(1f, rows[0].Embedding.Sum(v => v * v), 3); // unit length: a dot product is a cosine
        Assert.Equal(followup, rows[0].Embedding);
        // The correction is about Australia's capital; the new request is not.
        Assert.True(rows[0].Relations[0] > rows[1].Relations[0] + 0.2f, $"{rows[0].Relations[0]} vs {rows[1].Relations[0]}");
        Assert.True(rows[0].Relations[1] > rows[1].Relations[1] + 0.2f, $"{rows[0].Relations[1]} vs {rows[1].Relations[1]}");
        Assert.Equal(rows[0].Relations[2], rows[1].Relations[2], 5); // the same request and answer
    }

    [Fact]
    public void A_semantic_set_without_an_encoder_is_refused()
    {
        var set = FollowUpFeatureSet.Variants.First(v => v.NeedsEncoder);

        Assert.Throws<InvalidOperationException>(() => FollowUpFeatures.For([Correction], null, set, embedder: null));
    }

    [Fact]
    public void The_embedder_gives_each_text_the_same_vector_whatever_its_case_or_batch()
    {
        var alone = MiniLmEmbedder.Shared.Embed(["Thanks, that worked!"])[0];
        var batch = MiniLmEmbedder.Shared.Embed(["something else", "  thanks, that worked!  ", "Thanks, that worked!"]);

        Assert.Equal(alone, batch[1]);
        Assert.Equal(alone, batch[2]);
        Assert.NotEqual(alone, batch[0]);
    }
}
