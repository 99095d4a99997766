using System.Diagnostics;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Topics;
using Feedback.Training.Topics;

/// <summary>
/// The topic model's cost on texts that are all different, as real complaints are (the simulator repeats a few
/// phrasings, so its run is mostly cache hits): the labelled complaints of a set, each made distinct by a number.
/// Times the first sight of every turn (embedding, kinds, nearest topic: what assigning new turns costs), then new
/// turns whose follow-up the classifier has just read (as in a mining run: the text-signals stage classifies each new
/// follow-up, embedding it and its answer's opening, before the topic job reads the same turns), then a full refit
/// with every text already embedded (what a refit costs in a server that assigned them as they came). Runs with the
/// float encoder, then the int8 one.
/// </summary>
internal static class TopicThroughput
{
    public static void Run(string path, int count)
    {
        // The float encoder first, as the baseline of the same run; each with an empty cache.
        foreach (var quantized in new[] { false, true })
        {
            Console.WriteLine(quantized ? "int8 encoder (the default):" : "float encoder:");
            Run(path, count, new MiniLmEmbedder(quantized));
        }
    }

    private static void Run(string path, int count, MiniLmEmbedder embedder)
    {
        var set = LabelledComplaint.Read(path);
        var texts = Enumerable.Range(0, count).Select(i =>
        {
            var c = set[i % set.Count].Text;
            return new TurnText(c.Request, $"{c.Feedback} #{i}", $"{c.Response} (ref {i})");
        }).ToList();
        var options = new TopicOptions();
        var model = TopicModel.Fit(texts.Take(set.Count).ToList(), embedder, ComplaintKinds.Shipped, options);

        var clock = Stopwatch.StartNew();
        foreach (var batch in texts.Chunk(1000)) model.Assign(batch);
        var first = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"topics, {count} distinct turns seen for the first time: {first:0.0} s ({count / first:0} turns/s; 1,000 new turns: {1000 / (count / first):0.0} s)");

        var followed = Enumerable.Range(count, count).Select(i =>
        {
            var c = set[i % set.Count].Text;
            return new TurnText(c.Request, $"{c.Feedback} #{i}", $"{c.Response} (ref {i})");
        }).ToList();
        var classifier = FollowUpClassifier.LoadShipped(embedder);
        var classified = TimeSpan.Zero;
        var assigned = TimeSpan.Zero;
        foreach (var batch in followed.Chunk(1000))
        {
            clock.Restart();
            classifier.ClassifyAll(batch.Select(t => new FollowUp(t.Request, t.Response, t.Feedback)).ToList());
            classified += clock.Elapsed;
            clock.Restart();
            model.Assign(batch);
            assigned += clock.Elapsed;
        }
        Console.WriteLine($"topics, {count} distinct follow-up turns after the classifier read them: classifier {classified.TotalSeconds:0.0} s, topics {assigned.TotalSeconds:0.0} s (1,000 new turns: {assigned.TotalSeconds * 1000 / count:0.00} s)");

        clock.Restart();
        var random = new Random(1);
        var sample = texts.OrderBy(_ => random.Next()).Take(options.FitSample).ToList();
        var refit = TopicModel.Fit(sample, embedder, ComplaintKinds.Shipped, options);
        var fitted = clock.Elapsed.TotalSeconds;
        foreach (var batch in texts.Chunk(options.BatchSize)) refit.Assign(batch);
        Console.WriteLine($"topics, refit of {count} turns already embedded: fit on {sample.Count} in {fitted:0.0} s, all assigned in {clock.Elapsed.TotalSeconds:0.0} s ({refit.Count} topics)");
    }
}
