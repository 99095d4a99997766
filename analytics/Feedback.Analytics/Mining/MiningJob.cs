using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Mining.Predictor;

namespace Feedback.Analytics.Mining;

/// <summary>
/// One mining run over everything not mined yet: first the signals of turns with new events, then the pair
/// sources, one miner each.
/// </summary>
public sealed class MiningJob(TurnSignalsJob signals, EditPairMiner edits, ChoicePairMiner choices, RegeneratePairMiner regenerates, TurnLabelJob labels,
    TurnScoringJob scores)
{
    public async Task<MiningResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var turns = await signals.DeriveAsync(cancellationToken).ConfigureAwait(false);
        var labelled = await labels.LabelAsync(cancellationToken).ConfigureAwait(false); // unpaired labels, from the signals just derived
        var scored = await scores.ScoreAsync(cancellationToken).ConfigureAwait(false); // P[positive] of turns without reactions
        return new(EditPairs: await edits.MineAsync(cancellationToken).ConfigureAwait(false),
            ChoicePairs: await choices.MineAsync(cancellationToken).ConfigureAwait(false),
            RegeneratePairs: await regenerates.MineAsync(cancellationToken).ConfigureAwait(false))
        { TurnSignals = turns, TurnLabels = labelled, TurnsScored = scored };
    }

    /// <summary>A job with every miner over one store (for the CLI, which runs without the host's services).</summary>
    public static MiningJob Over(Store.IClickHouse store, TimeProvider clock) =>
        new(new TurnSignalsJob(store, clock), new EditPairMiner(store, clock), new ChoicePairMiner(store, clock), new RegeneratePairMiner(store, clock),
            new TurnLabelJob(store, clock), new TurnScoringJob(store, new ReactionPredictors(store, clock), clock));
}

public sealed record MiningResult(int EditPairs, int ChoicePairs = 0, int RegeneratePairs = 0)
{
    public int TotalPairs => EditPairs + ChoicePairs + RegeneratePairs;

    /// <summary>Turns whose signals were (re-)derived.</summary>
    public int TurnSignals { get; init; }

    /// <summary>Turns whose unpaired label was (re-)written.</summary>
    public int TurnLabels { get; init; }

    /// <summary>Turns scored by the reaction predictor.</summary>
    public int TurnsScored { get; init; }
}
