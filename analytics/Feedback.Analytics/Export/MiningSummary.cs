namespace Feedback.Analytics.Export;

/// <summary>What <see cref="MiningReport"/> found: pairs and labels per day, pair confidence, length bias, export counts.</summary>
/// <param name="Pairs">Pairs per day (of their turn) and source.</param>
/// <param name="Labels">Unpaired labels per day (of their turn), positive and negative.</param>
/// <param name="Confidence">Pairs per source and tenth of confidence (bin 0 is [0, 0.1), bin 9 is [0.9, 1]).</param>
/// <param name="Lengths">Per source, over all the project's pairs: how often the chosen answer is the longer one.</param>
/// <param name="ExportPairs">Rows a DPO (pairs) export with the filter would hold.</param>
/// <param name="ExportLabels">Rows a KTO (labels) export with the filter would hold.</param>
public sealed record MiningSummary(
    IReadOnlyList<MiningSummary.SourceDay> Pairs,
    IReadOnlyList<MiningSummary.LabelDay> Labels,
    IReadOnlyList<MiningSummary.ConfidenceBin> Confidence,
    IReadOnlyList<SourceLengths> Lengths,
    int ExportPairs,
    int ExportLabels)
{
    public sealed record SourceDay(DateTimeOffset Day, string Source, long Pairs);

    public sealed record LabelDay(DateTimeOffset Day, long Positive, long Negative);

    public sealed record ConfidenceBin(string Source, int Bin, long Pairs);
}
