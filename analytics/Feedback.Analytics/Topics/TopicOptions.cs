namespace Feedback.Analytics.Topics;

/// <summary>How topics are fitted and kept up to date (docs/analytics.md, "Topics"). The similarity settings were chosen on the development set in training/topics.</summary>
public sealed class TopicOptions
{
    /// <summary>A project with fewer negative turns gets no topics yet: clusters of a handful of turns say nothing.</summary>
    public int MinTurns { get; set; } = 30;

    /// <summary>The most topics a fit keeps (the largest clusters).</summary>
    public int MaxTopics { get; set; } = 20;

    /// <summary>Refit when a project's negative turns reach this multiple of the count the model was fitted on.</summary>
    public double RefitGrowth { get; set; } = 2.0;

    /// <summary>Turns read from the store and assigned per batch.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Topics are found on a uniform sample of at most this many turns (the clustering holds this size squared in memory: 36 MB at 3,000; at most 10,000).</summary>
    public int FitSample { get; set; } = 3000;

    /// <summary>How much the request counts next to the user's words about the answer (1: as much; 0, the default, chosen on the development sets: the request says what the turn was about, not what went wrong).</summary>
    public double RequestWeight { get; set; }

    /// <summary>How much the kind of failure (<see cref="ComplaintKinds"/>) counts next to the words' embedding (0: not at all).</summary>
    public double KindWeight { get; set; } = 1;

    /// <summary>Two groups of turns join while their mean cosine similarity is at least this.</summary>
    public double MinSimilarity { get; set; } = 0.4;

    /// <summary>A cluster smaller than this share of the sample (and at least 3 turns) is no topic; its turns go to the nearest one or to "other".</summary>
    public double MinTopicShare { get; set; } = 0.02;

    /// <summary>Topics whose centres are at least this similar are merged.</summary>
    public double MergeSimilarity { get; set; } = 0.8;

    /// <summary>A turn whose cosine similarity to every topic's centre is below this goes to "other".</summary>
    public double OtherBelow { get; set; } = 0.25;

    /// <summary>Top terms kept per topic; the label is the topic's kind of failure and two of them, or three of them (<see cref="TopicModel.Labels"/>).</summary>
    public int Terms { get; set; } = 5;
}
