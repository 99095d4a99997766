namespace Feedback.Analytics.Topics;

/// <summary>How topics are fitted and kept up to date (docs/analytics.md, "Topics").</summary>
public sealed class TopicOptions
{
    /// <summary>A project with fewer negative turns gets no topics yet: clusters of a handful of turns say nothing.</summary>
    public int MinTurns { get; set; } = 30;

    /// <summary>The most topics a fit makes (the upper end of the k searched).</summary>
    public int MaxTopics { get; set; } = 20;

    /// <summary>Refit when a project's negative turns reach this multiple of the count the model was fitted on.</summary>
    public double RefitGrowth { get; set; } = 2.0;

    /// <summary>Turns read from the store and assigned per batch.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>The featurizer and k-means are fitted on a uniform sample of at most this many turns.</summary>
    public int FitSample { get; set; } = 20_000;

    /// <summary>k is chosen by silhouette on a sample of at most this many turns (the distance matrix is this size squared).</summary>
    public int SelectionSample { get; set; } = 1500;

    /// <summary>Top terms kept per topic; the label is the first three.</summary>
    public int Terms { get; set; } = 5;
}
