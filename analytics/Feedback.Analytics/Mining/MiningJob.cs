using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Mining.Predictor;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Mining;

/// <summary>
/// One mining run over everything not mined yet: first the signals of turns with new events, then the pair
/// sources, one miner each. A run is skipped when the events table is as it was when the last run completed:
/// every stage still reads whole tables to find its new turns (docs/benchmarks.md), and the host runs this every
/// 30 seconds. A run covers the projects of its <see cref="MiningShards"/>: all of them in the embedded mode, a
/// worker's share in the distributed mode (docs/scaling.md).
/// </summary>
public sealed class MiningJob(
    IClickHouse store, TurnSignalsJob signals, TurnLabelJob labels, TurnScoringJob scores,
    EditPairMiner edits, ChoicePairMiner choices, RegeneratePairMiner regenerates,
    FollowUpPairMiner followUps, SameRequestPairMiner sameRequests)
{
    // Rows in the events table (re-deliveries included, from the parts' metadata) and the newest received_at: any
    // insert changes it, and a merge of duplicates only makes a run happen.
    private const string EventsNow = "SELECT count() AS rows, max(received_at) AS newest FROM events";

    private (EventsTable Events, MiningShards Shards)? completed; // the events table and shards when the last run completed

    public Task<MiningResult> RunAsync(CancellationToken cancellationToken = default) => RunAsync(MiningShards.All, stageDone: null, cancellationToken);

    public Task<MiningResult> RunAsync(Action<string, int>? stageDone, CancellationToken cancellationToken = default) =>
        RunAsync(MiningShards.All, stageDone, cancellationToken);

    /// <summary>
    /// Runs the stages in order; <paramref name="stageDone"/> hears each stage's name and count as it ends (the
    /// load tool times the stages with it).
    /// </summary>
    public async Task<MiningResult> RunAsync(MiningShards shards, Action<string, int>? stageDone, CancellationToken cancellationToken = default)
    {
        var state = (await store.QueryAsync<EventsTable>(EventsNow, cancellationToken: cancellationToken).ConfigureAwait(false))[0];
        // Shards newly held have not been mined by this job yet, so the skip holds only for the same shards.
        if (completed is { } done && done.Equals((state, shards))) return new MiningResult(0) { NothingNew = true };
        var result = await RunStagesAsync(shards, stageDone ?? ((_, _) => { }), cancellationToken).ConfigureAwait(false);
        completed = (state, shards);
        return result;
    }

    private async Task<MiningResult> RunStagesAsync(MiningShards shards, Action<string, int> stageDone, CancellationToken cancellationToken)
    {
        async Task<int> Stage(string name, Func<MiningShards, CancellationToken, Task<int>> run)
        {
            var count = await run(shards, cancellationToken).ConfigureAwait(false);
            stageDone(name, count);
            return count;
        }

        var turns = await Stage("signals per turn", signals.DeriveAsync).ConfigureAwait(false);
        var labelled = await Stage("unpaired labels", labels.LabelAsync).ConfigureAwait(false); // from the signals just derived
        var scored = await Stage("P[positive] scores", scores.ScoreAsync).ConfigureAwait(false); // turns without reactions
        return new(EditPairs: await Stage("edit pairs", edits.MineAsync).ConfigureAwait(false),
            ChoicePairs: await Stage("choice pairs", choices.MineAsync).ConfigureAwait(false),
            RegeneratePairs: await Stage("regenerate pairs", regenerates.MineAsync).ConfigureAwait(false))
        {
            TurnSignals = turns,
            TurnLabels = labelled,
            TurnsScored = scored,
            // Choice pairs and sources 4 and 5 read turn_signals, so they run after the signals job.
            FollowUpPairs = await Stage("follow-up pairs", followUps.MineAsync).ConfigureAwait(false),
            SameRequestPairs = await Stage("same-request pairs", sameRequests.MineAsync).ConfigureAwait(false),
        };
    }

    /// <summary>A job with every miner over one store (for the CLI, which runs without the host's services).</summary>
    public static MiningJob Over(Store.IClickHouse store, TimeProvider clock) =>
        new(store, new TurnSignalsJob(store, clock), new TurnLabelJob(store, clock), new TurnScoringJob(store, new ReactionPredictors(store, clock), clock),
            new EditPairMiner(store, clock), new ChoicePairMiner(store, clock), new RegeneratePairMiner(store, clock),
            new FollowUpPairMiner(store, clock, MiniLmEmbedder.Shared), new SameRequestPairMiner(store, clock));
}

public sealed record MiningResult(int EditPairs, int ChoicePairs = 0, int RegeneratePairs = 0)
{
    /// <summary>No event arrived since the last run completed, so this run did nothing.</summary>
    public bool NothingNew { get; init; }

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

internal sealed record EventsTable(long Rows, DateTimeOffset Newest);
