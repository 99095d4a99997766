using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Events;

namespace Feedback.Tests.Mining;

/// <summary>Edit pairs through a whole mining run on the real embedded store.</summary>
[Collection(SharedStore.Name)]
public sealed class EditPairsThroughTheStoreTests(EmbeddedStore store)
{
    [Theory]
    [InlineData("The capital of Australia is Canberra!", false)] // punctuation only
    [InlineData("  The capital of Australia, is Canberra  ", false)] // whitespace and punctuation only
    [InlineData("Canberra is the capital of Australia.", true)]
    public async Task Only_an_edit_that_changes_more_than_punctuation_and_whitespace_makes_a_pair(string edited, bool pair)
    {
        var (project, _) = await store.NewProjectAsync();
        var turn = StoredEvents.Turn(project, "t1");
        var edit = StoredEvents.FeedbackOn(project, EventKinds.Edit, "t1", e => e.EditedResponse = edited);
        await new EventStore(store.Engine).AppendAsync([turn, edit]);

        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();

        var pairs = await store.Engine.QueryAsync<PreferencePair>(
            "SELECT * FROM pairs FINAL WHERE project = {project:String} AND source = 'edit'", new { project });
        Assert.Equal(pair ? 1 : 0, pairs.Count);
        var signals = await store.Engine.QueryAsync<EditedRow>(
            "SELECT edited FROM turn_signals FINAL WHERE project = {project:String}", new { project });
        Assert.Equal(pair ? 1 : 0, Assert.Single(signals).Edited); // the same rule as the signal's
    }

    [Fact]
    public async Task A_run_mines_only_the_new_edits_and_leaves_stored_pairs_untouched()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([
            StoredEvents.Turn(project, "t1"), Edit(project, "t1", "Canberra, not Sydney."),
            StoredEvents.Turn(project, "t2"), Edit(project, "t2", "Canberra it is."),
        ]);
        Assert.True(await MineEditsAsync() >= 2); // other tests' projects may hold pending events too
        var first = await PairsAsync(project);
        Assert.Equal(2, first.Count);

        await events.AppendAsync([StoredEvents.Turn(project, "t3"), Edit(project, "t3", "It is Canberra.")]);
        var second = await MineEditsAsync();

        Assert.Equal(1, second); // only the new edit's pair: nothing else of this project's, nor of any other, is pending
        Assert.Equal(3, await PairCountAsync(project));
        var pairs = await PairsAsync(project);
        // The first run's pairs were not written again: the same rows, created_at included (exports page by it).
        Assert.Equal(first.Select(Row), pairs.Where(p => p.TurnId != "t3").Select(Row));
    }

    [Fact]
    public async Task A_new_event_on_an_edited_turn_reads_its_edit_again_but_writes_nothing()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([StoredEvents.Turn(project, "t1"), Edit(project, "t1", "Canberra, not Sydney.")]);
        await MineEditsAsync();
        var first = Assert.Single(await PairsAsync(project));

        await events.AppendAsync([StoredEvents.FeedbackOn(project, EventKinds.Reaction, "t1", e => e.Thumb = "up")]);
        var second = await MineEditsAsync();

        Assert.Equal(0, second);
        Assert.Equal(1, await PairCountAsync(project));
        Assert.Equal(Row(first), Row(Assert.Single(await PairsAsync(project))));
    }

    [Fact]
    public async Task An_edit_whose_turn_arrives_after_it_is_mined_once_the_turn_arrives()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([Edit(project, "t1", "Canberra, not Sydney.")]);
        await MineEditsAsync();
        Assert.Empty(await PairsAsync(project));

        await events.AppendAsync([StoredEvents.Turn(project, "t1")]);
        Assert.Equal(1, await MineEditsAsync());
        Assert.Equal("Canberra, not Sydney.", Assert.Single(await PairsAsync(project)).Chosen);
    }

    private static FeedbackEvent Edit(string project, string turnId, string edited) =>
        StoredEvents.FeedbackOn(project, EventKinds.Edit, turnId, e => e.EditedResponse = edited);

    /// <summary>The edit miner reads the signals of the turns with new events, as in a mining run (<see cref="MiningJob"/>).</summary>
    private async Task<int> MineEditsAsync()
    {
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();
        return await new EditPairMiner(store.Engine, TimeProvider.System).MineAsync();
    }

    private async Task<IReadOnlyList<PreferencePair>> PairsAsync(string project) =>
        await store.Engine.QueryAsync<PreferencePair>(
            "SELECT * FROM pairs FINAL WHERE project = {project:String} AND source = 'edit' ORDER BY turn_id", new { project });

    private async Task<long> PairCountAsync(string project) =>
        (await store.Engine.QueryAsync<Count>("SELECT count() AS rows FROM pairs FINAL WHERE project = {project:String}", new { project }))[0].Rows;

    // What a re-written pair would change: its created_at (records compare their lists by reference, so not the pair itself).
    private static (Guid, string, DateTimeOffset) Row(PreferencePair p) => (p.PairId, p.Chosen, p.CreatedAt);

    private sealed record EditedRow(byte Edited);

    private sealed record Count(long Rows);
}
