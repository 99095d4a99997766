using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Mining.Predictor;
using Feedback.Analytics.Reviews;
using Feedback.Analytics.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Feedback.Analytics.Mining;

/// <summary>
/// One mining run over everything not mined yet: first the signals of turns with new events, then the pair
/// sources, every registered <see cref="IPairMiner"/> in order. With the optional LLM labeler
/// (<see cref="ChatClientFollowUpLabeler"/>, <c>UseChatClientLabeler</c>) the signals stage is split in two around it.
/// A run is skipped when the events table (and the follow-ups' reviews, and the projects' follow-up models) are as
/// they were when the last run completed: the host runs this every 30 seconds, and even a run that reads only new rows
/// costs a few statements per stage and project. A run covers the projects of its <see cref="MiningShards"/>: all of them
/// in the embedded mode, a worker's share in the distributed mode (docs/scaling.md).
/// </summary>
public sealed class MiningJob(
    IClickHouse store, TurnSignalsJob signals, TurnLabelJob labels, TurnScoringJob scores, IEnumerable<IPairMiner> miners,
    ChatClientFollowUpLabeler? llm = null)
{
    // Rows in the events table (re-deliveries included, from the parts' metadata) and the newest received_at, and the
    // same of the follow-ups' reviews and of the projects' follow-up models (either changes the data without an event): any insert changes it, and a merge
    // of duplicates only makes a run happen. The newest received_at is looked for after the one the last run saw only,
    // so the minmax index on received_at (0024) skips the granules that arrived before it.
    private const string EventsNow = """
        SELECT
            (SELECT count() FROM events) AS rows,
            (SELECT greatest({newest:DateTime64(3, 'UTC')}, max(received_at)) FROM events WHERE received_at > {newest:DateTime64(3, 'UTC')}) AS newest,
            (SELECT count() FROM follow_up_reviews) AS reviews, (SELECT max(labelled_at) FROM follow_up_reviews) AS newest_review,
            (SELECT count() FROM follow_up_models) AS models, (SELECT max(trained_at) FROM follow_up_models) AS newest_model
        """;

    private readonly IReadOnlyList<IPairMiner> miners = miners.ToList();

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
        var newest = completed?.Events.Newest ?? DateTimeOffset.UnixEpoch;
        var state = (await store.QueryAsync<EventsTable>(EventsNow, new { newest }, cancellationToken).ConfigureAwait(false))[0];
        // Shards newly held have not been mined by this job yet, so the skip holds only for the same shards.
        if (completed is { } done && done.Equals((state, shards))) return new MiningResult { NothingNew = true, Pairs = miners.ToDictionary(m => m.Source, _ => 0) };
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

        var labelledByLlm = 0;
        int turns;
        if (llm is null)
        {
            turns = await Stage("signals per turn", signals.DeriveAsync).ConfigureAwait(false);
        }
        else
        {
            // The app's LLM labels the follow-ups just read before the turns are derived, so its labels feed this run.
            await Stage("follow-up and edit texts", signals.ReadTextsAsync).ConfigureAwait(false);
            labelledByLlm = await Stage("follow-ups labelled by LLM", llm.LabelAsync).ConfigureAwait(false);
            turns = await Stage("signals per turn", signals.DeriveTurnsAsync).ConfigureAwait(false);
        }
        var labelled = await Stage("unpaired labels", labels.LabelAsync).ConfigureAwait(false); // from the signals just derived
        var scored = await Stage("P[positive] scores", scores.ScoreAsync).ConfigureAwait(false); // turns without reactions
        // The miners read turn_signals, so they run after the signals job.
        var pairs = new Dictionary<string, int>();
        foreach (var miner in miners)
            pairs[miner.Source] = await Stage($"{miner.Source.Replace('_', '-')} pairs", miner.MineAsync).ConfigureAwait(false); // "follow-up pairs"
        return new MiningResult { Pairs = pairs, TurnSignals = turns, TurnLabels = labelled, TurnsScored = scored, LabelledByLlm = labelledByLlm };
    }

    /// <summary>
    /// A job with every stage and miner <see cref="AnalyticsServiceCollectionExtensions.AddFeedbackAnalytics"/>
    /// registers, over one store (for the CLI and the tests, which run without the host's services).
    /// </summary>
    public static MiningJob Over(IClickHouse store, TimeProvider clock) =>
        new ServiceCollection().AddSingleton(clock).AddFeedbackAnalytics(store).BuildServiceProvider().GetRequiredService<MiningJob>();

    private sealed record EventsTable(long Rows, DateTimeOffset Newest, long Reviews, DateTimeOffset NewestReview, long Models, DateTimeOffset NewestModel);
}
