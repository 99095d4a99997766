using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Topics;
using Feedback.Training.FollowUps;
using Feedback.Training.Topics;

/// <summary>
/// What the int8 encoder changes downstream, next to the float one in the same run: the shipped topic settings on a
/// labelled complaint set (purity, NMI, share in "other") and the shipped follow-up classifier on its held-out set
/// (macro-F1, expected calibration error). Both models were trained on float vectors and are not retrained here.
/// </summary>
internal static class EncoderQuality
{
    public static void Run(string complaints)
    {
        var set = LabelledComplaint.Read(complaints);
        var themes = set.Select(c => c.Theme).ToList();
        var texts = set.Select(c => c.Text).ToList();
        var heldout = FollowUpCorpus.Load(FollowUpCorpus.Heldout);
        foreach (var int8 in new[] { false, true })
        {
            var embedder = new MiniLmEmbedder(int8);
            var model = TopicModel.Fit(texts, embedder, ComplaintKinds.Shipped, new TopicOptions());
            var topics = TopicEvaluation.Of(themes, model.Assign(texts).Select(a => a.Cluster).ToList());
            var predictions = FollowUpClassifier.LoadShipped(embedder).ClassifyAll(heldout.Select(e => e.FollowUp).ToList());
            var classifier = FollowUpEvaluation.Model(predictions, heldout);
            var calibration = FollowUpEvaluation.Calibration(predictions, heldout);
            Console.WriteLine($"{(int8 ? "int8 " : "float")}: topics on {Path.GetFileName(complaints)}: {topics.Topics} topics, purity {topics.Purity:0.000}, NMI {topics.Nmi:0.000}, other {topics.OtherShare:0.000}, largest {topics.LargestTopicShare:0.00}/{topics.LargestThemeShare:0.00}; "
                + $"follow-ups held-out: macro-F1 {classifier.MacroF1:0.000}, weakest label F1 {classifier.Labels.Min(l => l.F1):0.000}, ECE {calibration.ExpectedCalibrationError:0.000}");
        }
    }
}
