namespace Feedback.Analytics.Mining;

/// <summary>One mining run over everything not mined yet. Each pair source is one miner.</summary>
public sealed class MiningJob(EditPairMiner edits, ChoicePairMiner choices, RegeneratePairMiner regenerates)
{
    public async Task<MiningResult> RunAsync(CancellationToken cancellationToken = default) =>
        new(EditPairs: await edits.MineAsync(cancellationToken).ConfigureAwait(false),
            ChoicePairs: await choices.MineAsync(cancellationToken).ConfigureAwait(false),
            RegeneratePairs: await regenerates.MineAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>A job with every miner over one store (for the CLI, which runs without the host's services).</summary>
    public static MiningJob Over(Store.IClickHouse store, TimeProvider clock) =>
        new(new EditPairMiner(store, clock), new ChoicePairMiner(store, clock), new RegeneratePairMiner(store, clock));
}

public sealed record MiningResult(int EditPairs, int ChoicePairs = 0, int RegeneratePairs = 0)
{
    public int TotalPairs => EditPairs + ChoicePairs + RegeneratePairs;
}
