using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Mining.Predictor;

namespace Feedback.Analytics.Mining;

/// <summary>
/// One mining run over everything not mined yet: first the signals of turns with new events, then the pair
/// sources, one miner each.
/// </summary>
public sealed class MiningJob(
    TurnSignalsJob signals, TurnLabelJob labels, TurnScoringJob scores,
    EditPairMiner edits, ChoicePairMiner choices, RegeneratePairMiner regenerates,
    FollowUpPairMiner followUps, SameRequestPairMiner sameRequests)
{
    public async Task<MiningResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var turns = await signals.DeriveAsync(cancellationToken).ConfigureAwait(false);
        var labelled = await labels.LabelAsync(cancellationToken).ConfigureAwait(false); // unpaired labels, from the signals just derived
        var scored = await scores.ScoreAsync(cancellationToken).ConfigureAwait(false); // P[positive] of turns without reactions
        return new(EditPairs: await edits.MineAsync(cancellationToken).ConfigureAwait(false),
            ChoicePairs: await choices.MineAsync(cancellationToken).ConfigureAwait(false),
            RegeneratePairs: await regenerates.MineAsync(cancellationToken).ConfigureAwait(false))
        {
            TurnSignals = turns,
            TurnLabels = labelled,
            TurnsScored = scored,
            // Sources 4 and 5 read turn_signals, so they run after the signals job.
            FollowUpPairs = await followUps.MineAsync(cancellationToken).ConfigureAwait(false),
            SameRequestPairs = await sameRequests.MineAsync(cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>A job with every miner over one store (for the CLI, which runs without the host's services).</summary>
    public static MiningJob Over(Store.IClickHouse store, TimeProvider clock) =>
        new(new TurnSignalsJob(store, clock), new TurnLabelJob(store, clock), new TurnScoringJob(store, new ReactionPredictors(store, clock), clock),
            new EditPairMiner(store, clock), new ChoicePairMiner(store, clock), new RegeneratePairMiner(store, clock),
            new FollowUpPairMiner(store, clock), new SameRequestPairMiner(store, clock));
}

public sealed record MiningResult(int EditPairs, int ChoicePairs = 0, int RegeneratePairs = 0)
{
    public int TotalPairs => EditPairs + ChoicePairs + RegeneratePairs + FollowUpPairs + SameRequestPairs;

    /// <summary>Turns whose signals were (re-)derived.</summary>
    public int TurnSignals { get; init; }

    /// <summary>Pairs from a correction or rephrase follow-up, then an approved answer (source 4).</summary>
    public int FollowUpPairs { get; init; }

    /// <summary>Pairs from the same request answered differently with opposite reactions (source 5), ratings-derived ones included.</summary>
    public int SameRequestPairs { get; init; }

    /// <summary>Turns whose unpaired label was (re-)written.</summary>
    public int TurnLabels { get; init; }

    /// <summary>Turns scored by the reaction predictor.</summary>
    public int TurnsScored { get; init; }
}
