namespace Feedback.Analytics.Mining;

/// <summary>
/// One source of preference pairs (docs/mining.md, "Pair sources"). <see cref="MiningJob"/> runs every miner
/// registered as <c>IPairMiner</c> (<see cref="AnalyticsServiceCollectionExtensions.AddFeedbackAnalytics"/>), in
/// the order registered, after the signal stages; so a new source is its class and one registration.
/// </summary>
public interface IPairMiner
{
    /// <summary>
    /// The source's name: the key of its count in <see cref="MiningResult.Pairs"/> and its rows in
    /// <c>mining_marks</c> (<see cref="MiningMarks"/>).
    /// </summary>
    string Source { get; }

    /// <summary>Mines what is new in the projects of <paramref name="shards"/>, stores the pairs and returns how many.</summary>
    Task<int> MineAsync(MiningShards shards, CancellationToken cancellationToken = default);
}
