namespace Feedback.Analytics.Mining;

/// <summary>One mining run over everything not mined yet. Each pair source is one miner.</summary>
public sealed class MiningJob(EditPairMiner edits)
{
    public async Task<MiningResult> RunAsync(CancellationToken cancellationToken = default) =>
        new(EditPairs: await edits.MineAsync(cancellationToken).ConfigureAwait(false));
}

public sealed record MiningResult(int EditPairs)
{
    public int TotalPairs => EditPairs;
}
