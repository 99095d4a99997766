using Feedback.Analytics.Topics;

namespace Feedback.Training.Topics;

/// <summary>
/// How well topics found on labelled complaints match their themes (docs/analytics.md, "Topics"): purity (share of
/// turns, outside "other", in their topic's majority theme), normalised mutual information between topics and
/// themes (turns in "other" count as one more topic, so pushing hard turns there is not free), the share in
/// "other", and the largest topic's share against the largest theme's.
/// </summary>
public sealed record TopicEvaluation(int Topics, double Purity, double Nmi, double OtherShare, double LargestTopicShare, double LargestThemeShare)
{
    public static TopicEvaluation Of(IReadOnlyList<string> themes, IReadOnlyList<int> clusters)
    {
        var n = themes.Count;
        if (n == 0) return new TopicEvaluation(0, 0, 0, 0, 0, 0);
        var inTopics = Enumerable.Range(0, n).Where(i => clusters[i] != TopicModel.Other).ToList();
        var purity = inTopics.Count == 0 ? 0 : inTopics.GroupBy(i => clusters[i]).Sum(g => g.GroupBy(i => themes[i]).Max(t => t.Count())) / (double)inTopics.Count;
        return new TopicEvaluation(
            clusters.Where(c => c != TopicModel.Other).Distinct().Count(),
            purity,
            MutualInformation(themes, clusters),
            1 - inTopics.Count / (double)n,
            inTopics.Count == 0 ? 0 : inTopics.GroupBy(i => clusters[i]).Max(g => g.Count()) / (double)n,
            themes.GroupBy(t => t).Max(g => g.Count()) / (double)n);
    }

    /// <summary>I(themes; topics) / mean(H(themes), H(topics)), the arithmetic-mean normalisation scikit-learn uses by default.</summary>
    public static double MutualInformation(IReadOnlyList<string> themes, IReadOnlyList<int> clusters)
    {
        var n = (double)themes.Count;
        var joint = themes.Zip(clusters).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count() / n);
        var ofTheme = themes.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count() / n);
        var ofCluster = clusters.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count() / n);
        var mutual = joint.Sum(j => j.Value * Math.Log(j.Value / (ofTheme[j.Key.First] * ofCluster[j.Key.Second])));
        var entropy = (ofTheme.Values.Sum(p => -p * Math.Log(p)) + ofCluster.Values.Sum(p => -p * Math.Log(p))) / 2;
        return entropy == 0 ? 1 : mutual / entropy;
    }
}
