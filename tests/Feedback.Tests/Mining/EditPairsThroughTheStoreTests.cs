using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
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

    private sealed record EditedRow(byte Edited);
}
