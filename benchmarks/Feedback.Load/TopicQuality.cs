using System.Diagnostics;
using System.Globalization;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Topics;
using Feedback.Training.Topics;

/// <summary>
/// Topic quality on a labelled set of complaints (training/topics): fits the shipped settings and prints purity,
/// NMI and the share in "other"; with <c>sweep</c>, a grid of settings (run it on the development set only: the
/// evaluation set is for reporting).
/// </summary>
internal static class TopicQuality
{
    private static readonly double[] KindWeights = [1, 2, 4];
    private static readonly double[] RequestWeights = [0.0, 0.5];
    private static readonly double[] Linkages = [0.3, 0.4, 0.5, 0.6, 0.7];
    private static readonly double[] OtherBelows = [0.25];

    public static void Run(string path, bool sweep, string? corpus)
    {
        var kinds = corpus is null ? ComplaintKinds.Shipped : ComplaintKindsTraining.Build(LabelledComplaint.Read(corpus), MiniLmEmbedder.Shared);
        var set = LabelledComplaint.Read(path);
        var themes = set.Select(c => c.Theme).ToList();
        var texts = set.Select(c => c.Text).ToList();
        var clock = Stopwatch.StartNew();
        MiniLmEmbedder.Shared.Embed(texts.Select(t => t.Feedback).Concat(texts.Select(t => t.Response)).Concat(texts.Select(t => t.Request)).ToList());
        Console.WriteLine($"{path}: {set.Count} complaints, {themes.Distinct().Count()} themes; embedded in {clock.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine("kind  request  linkage  other  merge  min-share | topics  purity  NMI    other  largest/theme");
        var shipped = new TopicOptions();
        var grid = !sweep ? [shipped] :
            from kind in KindWeights
            from request in RequestWeights
            from linkage in Linkages
            from other in OtherBelows
            select new TopicOptions { KindWeight = kind, RequestWeight = request, MinSimilarity = linkage, OtherBelow = other, MergeSimilarity = shipped.MergeSimilarity, MinTopicShare = shipped.MinTopicShare };
        foreach (var options in grid)
        {
            var model = TopicModel.Fit(texts, MiniLmEmbedder.Shared, kinds, options);
            var e = TopicEvaluation.Of(themes, model.Assign(texts).Select(a => a.Cluster).ToList());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{options.KindWeight,4:0.0}  {options.RequestWeight,7:0.00}  {options.MinSimilarity,7:0.00}  {options.OtherBelow,5:0.00}  {options.MergeSimilarity,5:0.00}  {options.MinTopicShare,9:0.00} | {e.Topics,6}  {e.Purity,6:0.000}  {e.Nmi,5:0.000}  {e.OtherShare,5:0.000}  {e.LargestTopicShare:0.00}/{e.LargestThemeShare:0.00}"));
            if (sweep) continue;
            var assigned = model.Assign(texts).Select(a => a.Cluster).ToList();
            foreach (var topic in assigned.Select((c, i) => (c, i)).GroupBy(x => x.c).OrderByDescending(g => g.Count()))
            {
                var majority = topic.GroupBy(x => themes[x.i]).MaxBy(g => g.Count())!;
                Console.WriteLine($"  {topic.Count(),3} turns, {majority.Count(),3} {majority.Key,-22} {(topic.Key == TopicModel.Other ? TopicJob.OtherLabel : model.Labels[topic.Key])}");
            }
        }
    }
}
