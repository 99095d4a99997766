namespace Feedback.Analytics.Mining;

/// <summary>
/// One mining run over everything not mined yet: first the signals of turns with new events, then the pair
/// sources, one miner each.
/// </summary>
public sealed class MiningJob(TurnSignalsJob signals, EditPairMiner edits)
{
    public async Task<MiningResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var turns = await signals.DeriveAsync(cancellationToken).ConfigureAwait(false);
        return new(EditPairs: await edits.MineAsync(cancellationToken).ConfigureAwait(false)) { TurnSignals = turns };
    }
}

public sealed record MiningResult(int EditPairs)
{
    public int TotalPairs => EditPairs;

    /// <summary>Turns whose signals were (re-)derived.</summary>
    public int TurnSignals { get; init; }
}
