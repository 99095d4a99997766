using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Events;
using static Feedback.Tests.Mining.StoredEvents;

namespace Feedback.Tests.Mining;

/// <summary>Signals per turn through the real embedded store, each test in a fresh project.</summary>
[Collection(SharedStore.Name)]
public sealed class TurnSignalsTests(EmbeddedStore store)
{
    [Fact]
    public async Task Reactions_net_to_one_polarity_and_ratings_are_normalized()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Turn(project, "t1"),
            FeedbackOn(project, EventKinds.Reaction, "t1", e => e.Thumb = Thumbs.Up),
            FeedbackOn(project, EventKinds.Reaction, "t1", e => e.Emoji = "👎"),
            FeedbackOn(project, EventKinds.Reaction, "t1", e => (e.Rating, e.RatingScale) = (4, 5)));

        var signals = Assert.Single(await DeriveAsync(project));

        Assert.Equal(1, signals.ThumbsUp);
        Assert.Equal(0, signals.ThumbsDown);
        Assert.Equal(-1, signals.EmojiPolarity);
        Assert.Equal(0.8, signals.RatingNormalized!.Value, 9);
        Assert.Equal(1, signals.ReactionPolarity); // +1 thumb, -1 emoji, +1 rating above the middle
        Assert.Equal("m", signals.Model);
        Assert.Equal("c1", signals.ConversationId);
        Assert.Equal(0, signals.Edited);
        Assert.Null(signals.EditDistanceRatio);
        Assert.Equal("", signals.FollowUpLabel);
        Assert.Null(signals.FollowUpConfidence);
    }

    [Fact]
    public async Task Whitespace_and_punctuation_only_edits_are_not_edits()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Turn(project, "t1"), Turn(project, "t2"),
            FeedbackOn(project, EventKinds.Edit, "t1", e => e.EditedResponse = "The capital of  Australia is Canberra\n"),
            FeedbackOn(project, EventKinds.Edit, "t1", e => e.EditedResponse = "The capital of Australia is: Canberra!"),
            FeedbackOn(project, EventKinds.Edit, "t2", e => e.EditedResponse = "The capital of Australia is Sydney."));

        var signals = (await DeriveAsync(project)).ToDictionary(s => s.TurnId);

        Assert.Equal(0, signals["t1"].Edited);
        Assert.Null(signals["t1"].EditDistanceRatio);
        Assert.Equal(1, signals["t2"].Edited);
        Assert.InRange(signals["t2"].EditDistanceRatio!.Value, 0.01, 1);
    }

    [Fact]
    public async Task Regenerate_choice_and_copy_set_their_flags()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Turn(project, "t1"), Turn(project, "t2"), Turn(project, "t3"),
            FeedbackOn(project, EventKinds.Regenerate, "t1", e => e.NewTurnId = "t2"),
            FeedbackOn(project, EventKinds.Choice, "t3", e => (e.AlternativeTurnIds, e.ChosenTurnId) = (["t2", "t3"], "t3")),
            FeedbackOn(project, EventKinds.Copy, "t3", _ => { }));

        var signals = (await DeriveAsync(project)).ToDictionary(s => s.TurnId);

        Assert.Equal((1, 0L, 0L, 0), (signals["t1"].Regenerated, signals["t1"].Chosen, signals["t1"].NotChosen, signals["t1"].Copied));
        Assert.Equal((0, 0L, 1L, 0), (signals["t2"].Regenerated, signals["t2"].Chosen, signals["t2"].NotChosen, signals["t2"].Copied));
        Assert.Equal((0, 1L, 0L, 1), (signals["t3"].Regenerated, signals["t3"].Chosen, signals["t3"].NotChosen, signals["t3"].Copied));
    }

    [Fact]
    public async Task The_follow_up_is_labelled_by_the_classifier()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Turn(project, "t1"),
            FeedbackOn(project, EventKinds.FollowUp, "t1", e => e.Message = "thanks, that worked!"));

        var signals = Assert.Single(await DeriveAsync(project));

        Assert.Equal(FollowUpLabels.Positive, signals.FollowUpLabel);
        Assert.InRange(signals.FollowUpConfidence!.Value, 0.5f, 1f);
    }

    [Fact]
    public async Task Deriving_again_writes_only_turns_with_new_events()
    {
        var (project, _) = await store.NewProjectAsync();
        var old = DateTimeOffset.UtcNow.AddHours(-2);
        await InsertAsync(Turn(project, "old", old), Turn(project, "new"),
            FeedbackOn(project, EventKinds.Copy, "new", _ => { }));
        var job = new TurnSignalsJob(store.Engine, TimeProvider.System);

        await job.DeriveAsync();
        var first = (await ReadAsync(project)).ToDictionary(s => s.TurnId);
        await job.DeriveAsync();
        var again = (await ReadAsync(project)).ToDictionary(s => s.TurnId);
        await InsertAsync(FeedbackOn(project, EventKinds.Reaction, "new", e => e.Thumb = Thumbs.Down, DateTimeOffset.UtcNow.AddMinutes(-5))); // loaded late
        await job.DeriveAsync();
        var late = (await ReadAsync(project)).ToDictionary(s => s.TurnId);

        Assert.Equal(2, first.Count);
        Assert.Equal(first, again); // nothing new: same rows, not even re-written
        Assert.Equal(2, late.Count);
        Assert.Equal(first["old"], late["old"]);
        Assert.Equal((1L, 3L, -1), (late["new"].ThumbsDown, late["new"].EventCount, (int)late["new"].ReactionPolarity));
        Assert.True(late["new"].DerivedAt > first["new"].DerivedAt);
    }

    [Fact]
    public async Task The_mining_job_derives_signals_before_mining_pairs()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Turn(project, "t1"));

        var result = await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();

        Assert.True(result.TurnSignals >= 1); // other tests' projects may have new turns too
        Assert.Single(await ReadAsync(project));
    }

    [Theory]
    [InlineData("👍", 1)]
    [InlineData("👍🏽", 1)]
    [InlineData("❤️", 1)]
    [InlineData(" 🎉 ", 1)]
    [InlineData("✅", 1)]
    [InlineData("👎", -1)]
    [InlineData("💩", -1)]
    [InlineData("😠", -1)]
    [InlineData("❌", -1)]
    [InlineData("🤔", 0)]
    public async Task Emoji_polarity_follows_the_table(string emoji, int polarity)
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Turn(project, "t1"), FeedbackOn(project, EventKinds.Reaction, "t1", e => e.Emoji = emoji));

        var signals = Assert.Single(await DeriveAsync(project));

        Assert.Equal((polarity, polarity), ((int)signals.EmojiPolarity, (int)signals.ReactionPolarity));
    }

    [Theory]
    [InlineData(4, 5, 1)]
    [InlineData(5, 10, 0)] // the middle of the scale says nothing
    [InlineData(1, 5, -1)]
    public async Task A_rating_above_the_middle_of_its_scale_is_positive(double rating, double scale, int polarity)
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Turn(project, "t1"), FeedbackOn(project, EventKinds.Reaction, "t1", e => (e.Rating, e.RatingScale) = (rating, scale)));

        var signals = Assert.Single(await DeriveAsync(project));

        Assert.Equal(rating / scale, signals.RatingNormalized!.Value, 9);
        Assert.Equal(polarity, signals.ReactionPolarity);
    }

    [Fact]
    public async Task The_first_follow_up_is_the_one_labelled_and_an_edit_waits_for_its_turn()
    {
        var (project, _) = await store.NewProjectAsync();
        var now = DateTimeOffset.UtcNow;
        await InsertAsync(Turn(project, "t1"),
            FeedbackOn(project, EventKinds.FollowUp, "t1", e => (e.Message, e.Timestamp) = ("no, that's wrong, it's 1969", now.AddSeconds(2))),
            FeedbackOn(project, EventKinds.FollowUp, "t1", e => (e.Message, e.Timestamp) = ("thanks, that worked!", now.AddSeconds(1))),
            FeedbackOn(project, EventKinds.Edit, "t2", e => e.EditedResponse = "Completely different words"));
        var first = (await DeriveAsync(project)).ToDictionary(s => s.TurnId);
        await InsertAsync(Turn(project, "t2"));

        var late = (await DeriveAsync(project)).ToDictionary(s => s.TurnId);

        Assert.Equal(FollowUpLabels.Positive, first["t1"].FollowUpLabel);
        Assert.False(first.ContainsKey("t2")); // no turn event yet
        Assert.Equal(1, late["t2"].Edited);
        Assert.True(late["t2"].EditDistanceRatio > 0.5);
    }

    [Fact]
    public async Task A_mining_run_with_no_new_events_does_nothing()
    {
        var (project, _) = await store.NewProjectAsync();
        var job = MiningJob.Over(store.Engine, TimeProvider.System);
        await InsertAsync(Turn(project, "t1"));

        var first = await job.RunAsync();
        var idle = await job.RunAsync();
        await InsertAsync(FeedbackOn(project, EventKinds.Reaction, "t1", e => e.Thumb = Thumbs.Up));
        var next = await job.RunAsync();

        Assert.False(first.NothingNew);
        Assert.True(idle.NothingNew);
        Assert.False(next.NothingNew);
        Assert.Equal(1, Assert.Single(await ReadAsync(project)).ThumbsUp);
    }

    [Fact]
    public async Task Texts_are_read_in_batches_each_event_once_and_an_event_without_its_turn_waits()
    {
        var (project, _) = await store.NewProjectAsync();
        var followUps = Enumerable.Range(0, 5)
            .Select(i => FeedbackOn(project, EventKinds.FollowUp, "t" + i, e => e.Message = "thanks, that worked!")).ToList();
        await InsertAsync([.. Enumerable.Range(0, 5).Select(i => Turn(project, "t" + i)), .. followUps,
            FeedbackOn(project, EventKinds.Edit, "waiting", e => e.EditedResponse = "Something else entirely")]);
        var job = new TextSignalsJob(store.Engine, TimeProvider.System, batchSize: 2);

        await job.DeriveAsync();
        var first = await ReadTextsAsync(project);
        await job.DeriveAsync();
        var again = await ReadTextsAsync(project);
        await InsertAsync(Turn(project, "waiting"));
        await job.DeriveAsync();
        var late = await ReadTextsAsync(project);

        Assert.Equal(followUps.Select(e => e.EventId!.Value).Order(), first.Select(t => t.EventId).Order());
        Assert.All(first, t => Assert.Equal(FollowUpLabels.Positive, t.FollowUpLabel));
        Assert.Equal(first, again); // nothing read twice
        Assert.Equal(6, late.Count);
        Assert.Equal((byte)1, late.Single(t => t.TurnId == "waiting").RealEdit);
    }

    private Task<IReadOnlyList<TextRow>> ReadTextsAsync(string project) =>
        store.Engine.QueryAsync<TextRow>("SELECT * FROM text_signals WHERE project = {project:String} ORDER BY event_id", new { project });

    private sealed record TextRow(string TurnId, Guid EventId, string FollowUpLabel, byte RealEdit, DateTimeOffset DerivedAt);

    private async Task<IReadOnlyList<TurnSignals>> DeriveAsync(string project)
    {
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();
        return await ReadAsync(project);
    }

    private Task<IReadOnlyList<TurnSignals>> ReadAsync(string project) =>
        store.Engine.QueryAsync<TurnSignals>(
            "SELECT * FROM turn_signals FINAL WHERE project = {project:String} ORDER BY turn_id", new { project });

    private Task InsertAsync(params FeedbackEvent[] events) => store.Engine.InsertAsync("events", events);
}

public sealed class TurnSignalRulesTests
{
    [Theory]
    [InlineData("abc", "abc", 0.0)]
    [InlineData("kitten", "sitting", 3.0 / 7)]
    [InlineData("abc", "xyz", 1.0)]
    [InlineData("", "abcd", 1.0)]
    [InlineData("", "", 0.0)]
    [InlineData("July 21, 1968", "July 20, 1969", 2.0 / 13)]
    public void Edit_distance_ratio_is_levenshtein_over_the_longer_length(string a, string b, double ratio) =>
        Assert.Equal(ratio, TurnSignalRules.EditDistanceRatio(a, b), 9);

    [Fact]
    public void Texts_too_big_to_compare_exactly_get_an_upper_bound()
    {
        var a = new string('a', 6000);
        var b = new string('b', 6000);

        Assert.Equal(1.0, TurnSignalRules.EditDistanceRatio(a, b));
    }

    [Theory]
    [InlineData("Hello, world.", "Hello world", false)]
    [InlineData("Hello world", "hello world", true)]
    [InlineData("a b", "a  b\n", false)]
    [InlineData("It is 5.", "It is 6.", true)]
    public void Only_more_than_whitespace_and_punctuation_is_an_edit(string response, string edited, bool real) =>
        Assert.Equal(real, TurnSignalRules.IsRealEdit(response, edited));
}
