using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Events;
using Xunit.Abstractions;

namespace Feedback.Tests.Mining;

/// <summary>
/// Incrementality by the engine's own counter (<see cref="Analytics.Store.ChDb.ChDbEngine.RowsRead"/>): what a stage
/// reads does not depend on the machine's load, so a stage that reads what the tables hold rather than what is new
/// fails here however fast it runs.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class IncrementalMiningReadsTests(EmbeddedStore store, ITestOutputHelper output)
{
    private const int Turns = 20_000;

    // Fails today, so skipped until the scans below are gone (run 1 Dec 2026 without the skip: every stage but the
    // choice stage and the idle scoring stage read more than a quarter of its full-run rows, the signals and label
    // stages more than in the full run). To find what is new, each stage still scans a column of a whole table:
    // events.received_at (signals), turn_signals.derived_at (labels, every miner's touched turns, the marks), and
    // events' kind and turn_id (the source events of touched turns). Their rows count, however few bytes they are.
    // docs/benchmarks.md, "Every stage incremental".
    [Fact(Skip = "Known gap (issue 15): the stages still scan whole columns to find new work; see the comment above")]
    public async Task After_one_new_conversation_the_stages_read_what_is_new_not_what_the_store_holds()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        var old = new List<FeedbackEvent>();
        for (var i = 0; i < Turns; i++)
        {
            var turnId = $"t{i}";
            old.Add(StoredEvents.Turn(project, turnId));
            // Every source stage has work in the full run: reactions, edits, regenerates (approved), choices.
            old.Add(StoredEvents.FeedbackOn(project, EventKinds.Reaction, turnId, e => e.Thumb = i % 2 == 0 ? "up" : "down"));
            if (i % 10 == 1) old.Add(StoredEvents.FeedbackOn(project, EventKinds.Edit, turnId, e => e.EditedResponse = $"It is Canberra ({i})."));
            if (i % 10 == 3) old.Add(StoredEvents.FeedbackOn(project, EventKinds.Regenerate, turnId, e => e.NewTurnId = $"t{i + 1}"));
            if (i % 10 == 5)
                old.Add(StoredEvents.FeedbackOn(project, EventKinds.Choice, turnId, e => (e.ChosenTurnId, e.AlternativeTurnIds) = (turnId, [turnId, $"t{i + 1}"])));
        }
        await events.AppendAsync(old);
        var job = MiningJob.Over(store.Engine, TimeProvider.System);
        var full = await RunAsync(job);
        Assert.True(full.Result.EditPairs >= Turns / 10); // the full run did mine this project

        await events.AppendAsync([
            StoredEvents.Turn(project, "new"),
            StoredEvents.FeedbackOn(project, EventKinds.Edit, "new", e => e.EditedResponse = "Canberra, not Sydney."),
        ]);
        var incremental = await RunAsync(job);

        Assert.Equal(1, incremental.Result.EditPairs);
        foreach (var (stage, rows) in incremental.Rows)
            output.WriteLine($"{stage}: {full.Rows[stage]:N0} rows read in the full run, {rows:N0} after one new conversation");
        // A stage that reads only what is new reads a small part of what it read in the full run; one that scans a
        // table reads about as much again (the store also holds every other test's rows, which only add to both).
        Assert.All(incremental.Rows, stage => Assert.True(stage.Value <= full.Rows[stage.Key] / 4,
            $"{stage.Key}: {stage.Value:N0} rows read after one new conversation, {full.Rows[stage.Key]:N0} in the full run"));
    }

    private async Task<(MiningResult Result, Dictionary<string, long> Rows)> RunAsync(MiningJob job)
    {
        var rows = new Dictionary<string, long>();
        var before = store.Engine.RowsRead;
        var result = await job.RunAsync(stageDone: (stage, _) =>
        {
            rows[stage] = store.Engine.RowsRead - before;
            before = store.Engine.RowsRead;
        });
        return (result, rows);
    }
}
