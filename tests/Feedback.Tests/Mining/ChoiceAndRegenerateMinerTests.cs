using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Events;

namespace Feedback.Tests.Mining;

/// <summary>The choice and regenerate miners through the real embedded store, each test in a project of its own.</summary>
[Collection(SharedStore.Name)]
public sealed class ChoiceAndRegenerateMinerTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static FeedbackEvent Event(string project, string kind, string turnId, int second, Action<FeedbackEvent>? set = null)
    {
        var e = new FeedbackEvent
        {
            EventId = Guid.CreateVersion7(),
            Kind = kind,
            Project = project,
            Timestamp = T0.AddSeconds(second),
            UserId = "u1",
            SessionId = "s1",
            ConversationId = "c1",
            TurnId = turnId,
        };
        set?.Invoke(e);
        return e;
    }

    private static FeedbackEvent Turn(string project, string turnId, string response, string prompt = "Name a prime.") =>
        Event(project, EventKinds.Turn, turnId, 0, e =>
        {
            e.Request = [new RequestMessage("user", prompt)];
            e.Response = response;
            e.Model = "m";
            e.ModelVersion = "v1";
        });

    private static FeedbackEvent Choice(string project, string chosen, params string[] alternatives) =>
        Event(project, EventKinds.Choice, chosen, 5, e =>
        {
            e.ChosenTurnId = chosen;
            e.AlternativeTurnIds = alternatives;
        });

    private static FeedbackEvent Regenerate(string project, string oldTurn, string newTurn) =>
        Event(project, EventKinds.Regenerate, oldTurn, 5, e => e.NewTurnId = newTurn);

    private static FeedbackEvent Reaction(string project, string turnId, string? thumb = null, string? emoji = null, double? rating = null, double? scale = null) =>
        Event(project, EventKinds.Reaction, turnId, 10, e =>
        {
            e.Thumb = thumb;
            e.Emoji = emoji;
            e.Rating = rating;
            e.RatingScale = scale;
        });

    private static Guid Id(FeedbackEvent e) => e.EventId!.Value;

    private async Task<IReadOnlyList<PreferencePair>> PairsAsync(string project) =>
        await store.Engine.QueryAsync<PreferencePair>(
            "SELECT * FROM pairs FINAL WHERE project = {project:String} ORDER BY source, rejected", new { project });

    private async Task<long> PairCountAsync(string project) =>
        (await store.Engine.QueryAsync<Count>("SELECT count() AS rows FROM pairs FINAL WHERE project = {project:String}", new { project }))[0].Rows;

    private sealed record Count(long Rows);

    // What a re-written pair would change: its created_at (records compare their lists by reference, so not the pair itself).
    private static (Guid, string, DateTimeOffset) Row(PreferencePair p) => (p.PairId, p.Rejected, p.CreatedAt);

    /// <summary>The choice miner reads the signals of the turns with new events, as in a mining run (<see cref="MiningJob"/>).</summary>
    private async Task<int> MineChoicesAsync()
    {
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();
        return await new ChoicePairMiner(store.Engine, TimeProvider.System).MineAsync();
    }

    /// <summary>The regenerate miner, too, reads the signals of the turns with new events, as in a mining run.</summary>
    private async Task<int> MineRegeneratesAsync()
    {
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();
        return await new RegeneratePairMiner(store.Engine, TimeProvider.System).MineAsync();
    }

    private async Task<string> AppendAsync(params FeedbackEvent[] events)
    {
        var (project, _) = await store.NewProjectAsync();
        foreach (var e in events) e.Project = project;
        await new EventStore(store.Engine).AppendAsync(events);
        return project;
    }

    [Fact]
    public async Task A_choice_yields_one_pair_per_other_known_and_different_alternative()
    {
        var (project, _) = await store.NewProjectAsync();
        var a = Turn(project, "a", "2 is prime.");
        var b = Turn(project, "b", "7 is prime.");
        var c = Turn(project, "c", "9 is prime.");
        var same = Turn(project, "d", " 7 is  prime.\n");
        var choice = Choice(project, "b", "a", "b", "c", "d", "unknown");
        await new EventStore(store.Engine).AppendAsync([a, b, c, same, choice]);

        await MineChoicesAsync();
        await MineChoicesAsync();
        var pairs = await PairsAsync(project);

        Assert.Equal(2, pairs.Count);
        Assert.All(pairs, p =>
        {
            Assert.Equal(PairSources.Choice, p.Source);
            Assert.Equal("Name a prime.", Assert.Single(p.Prompt).Content);
            Assert.Equal("7 is prime.", p.Chosen);
            Assert.Equal("b", p.TurnId);
            Assert.Equal(ChoicePairMiner.Confidence, p.Confidence);
            Assert.Equal(PreferencePair.IdFor(PairSources.Choice, p.SourceEventIds), p.PairId);
        });
        Assert.Equal(["2 is prime.", "9 is prime."], pairs.Select(p => p.Rejected));
        Assert.Equal([Id(choice), Id(b), Id(a)], pairs[0].SourceEventIds);
        Assert.Equal([Id(choice), Id(b), Id(c)], pairs[1].SourceEventIds);
    }

    [Fact]
    public async Task An_alternative_whose_turn_arrives_later_is_mined_on_the_next_run_without_duplicates()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([Turn(project, "a", "first"), Turn(project, "b", "second"), Choice(project, "a", "a", "b", "c")]);
        await MineChoicesAsync();
        Assert.Single(await PairsAsync(project));

        await events.AppendAsync([Turn(project, "c", "third")]);
        await MineChoicesAsync();

        Assert.Equal(["second", "third"], (await PairsAsync(project)).Select(p => p.Rejected));
    }

    [Fact]
    public async Task A_run_mines_only_the_new_choices_and_leaves_stored_pairs_untouched()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([Turn(project, "a", "2"), Turn(project, "b", "3"), Turn(project, "c", "4"), Choice(project, "b", "a", "b", "c")]);
        Assert.True(await MineChoicesAsync() >= 2); // other tests' projects may hold pending events too
        var first = await PairsAsync(project);
        Assert.Equal(2, first.Count);

        await events.AppendAsync([Turn(project, "d", "5"), Turn(project, "e", "6"), Choice(project, "e", "d", "e")]);
        var second = await MineChoicesAsync();

        Assert.Equal(1, second); // only the new choice's pair: nothing else of this project's, nor of any other, is pending
        var pairs = await PairsAsync(project);
        Assert.Equal(3, await PairCountAsync(project));
        Assert.Equal(["2", "4", "5"], pairs.Select(p => p.Rejected));
        // The first run's pairs were not written again: the same rows, created_at included (exports page by it).
        Assert.Equal(first.Select(Row), pairs.Where(p => p.Rejected != "5").Select(Row));
    }

    [Fact]
    public async Task A_new_event_on_a_chosen_turn_reads_its_choice_again_but_writes_nothing()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([Turn(project, "a", "2"), Turn(project, "b", "3"), Choice(project, "b", "a", "b")]);
        await MineChoicesAsync();
        var first = Assert.Single(await PairsAsync(project));

        await events.AppendAsync([Reaction(project, "b", thumb: "up")]);
        var second = await MineChoicesAsync();

        Assert.Equal(0, second);
        Assert.Equal(1, await PairCountAsync(project));
        Assert.Equal(Row(first), Row(Assert.Single(await PairsAsync(project))));
    }

    [Fact]
    public async Task A_choice_whose_turns_all_arrive_after_it_is_mined_once_they_arrive()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([Choice(project, "b", "a", "b")]);
        await MineChoicesAsync();
        Assert.Empty(await PairsAsync(project));

        await events.AppendAsync([Turn(project, "b", "chosen")]);
        await MineChoicesAsync();
        Assert.Empty(await PairsAsync(project)); // the alternative's turn is still unknown

        await events.AppendAsync([Turn(project, "a", "rejected")]);
        Assert.Equal(1, await MineChoicesAsync());
        var pair = Assert.Single(await PairsAsync(project));
        Assert.Equal(("chosen", "rejected", "b"), (pair.Chosen, pair.Rejected, pair.TurnId));
    }

    [Fact]
    public async Task A_choice_without_a_known_chosen_turn_yields_nothing()
    {
        var project = await AppendAsync(Turn("", "a", "first"), Choice("", "b", "a", "b"));

        await MineChoicesAsync();

        Assert.Empty(await PairsAsync(project));
    }

    [Theory]
    [InlineData("up", null, null, null)]
    [InlineData(null, "🎉", null, null)]
    [InlineData(null, "❤️", null, null)]
    [InlineData(null, null, 4.0, 5.0)]
    public async Task A_regenerate_then_approval_of_the_new_answer_is_a_pair(string? thumb, string? emoji, double? rating, double? scale)
    {
        var (project, _) = await store.NewProjectAsync();
        var old = Turn(project, "old", "Paris is the capital of Germany.", "Capital of Germany?");
        var fresh = Turn(project, "new", "Berlin is the capital of Germany.", "Capital of Germany?");
        var regenerate = Regenerate(project, "old", "new");
        var oldDown = Reaction(project, "old", thumb: "down");
        var approval = Reaction(project, "new", thumb, emoji, rating, scale);
        await new EventStore(store.Engine).AppendAsync([old, fresh, regenerate, oldDown, approval]);

        await MineRegeneratesAsync();
        await MineRegeneratesAsync();

        var pair = Assert.Single(await PairsAsync(project));
        Assert.Equal(PairSources.Regenerate, pair.Source);
        Assert.Equal("Capital of Germany?", Assert.Single(pair.Prompt).Content);
        Assert.Equal("Berlin is the capital of Germany.", pair.Chosen);
        Assert.Equal("Paris is the capital of Germany.", pair.Rejected);
        Assert.Equal("old", pair.TurnId);
        Assert.Equal(RegeneratePairMiner.Confidence, pair.Confidence);
        Assert.Equal([Id(regenerate), Id(old), Id(fresh), Id(approval)], pair.SourceEventIds);
    }

    [Fact]
    public async Task A_copy_of_the_new_answer_is_a_weaker_approval()
    {
        var (project, _) = await store.NewProjectAsync();
        var copy = Event(project, EventKinds.Copy, "new", 10);
        await new EventStore(store.Engine).AppendAsync([Turn(project, "old", "x = 1"), Turn(project, "new", "x = 2"), Regenerate(project, "old", "new"), copy]);

        await MineRegeneratesAsync();

        var pair = Assert.Single(await PairsAsync(project));
        Assert.Equal(RegeneratePairMiner.CopyConfidence, pair.Confidence);
        Assert.Equal(Id(copy), pair.SourceEventIds[3]);
    }

    [Theory]
    [InlineData(null, null, null, null, false)] // no approval at all
    [InlineData(null, "🤔", null, null, false)] // not a positive emoji
    [InlineData(null, null, 3.0, 5.0, false)] // a middling rating
    [InlineData("down", null, null, null, true)] // approved, but also disliked
    [InlineData(null, "👎", null, null, true)]
    [InlineData(null, null, 1.0, 5.0, true)]
    public async Task A_regenerate_without_approval_or_with_a_negative_reaction_on_the_new_answer_is_no_pair(
        string? thumb, string? emoji, double? rating, double? scale, bool alsoThumbUp)
    {
        var (project, _) = await store.NewProjectAsync();
        List<FeedbackEvent> events = [Turn(project, "old", "wrong"), Turn(project, "new", "right"), Regenerate(project, "old", "new")];
        if (thumb is not null || emoji is not null || rating is not null) events.Add(Reaction(project, "new", thumb, emoji, rating, scale));
        if (alsoThumbUp) events.Add(Reaction(project, "new", thumb: "up"));
        await new EventStore(store.Engine).AppendAsync(events);

        await MineRegeneratesAsync();

        Assert.Empty(await PairsAsync(project));
    }

    [Fact]
    public async Task A_run_mines_only_the_new_regenerates_and_leaves_stored_pairs_untouched()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([Turn(project, "a", "1"), Turn(project, "b", "2"), Regenerate(project, "a", "b"), Reaction(project, "b", thumb: "up")]);
        Assert.True(await MineRegeneratesAsync() >= 1); // other tests' projects may hold pending events too
        var first = Assert.Single(await PairsAsync(project));

        await events.AppendAsync([Turn(project, "c", "3"), Turn(project, "d", "4"), Regenerate(project, "c", "d"), Event(project, EventKinds.Copy, "d", 10)]);
        var second = await MineRegeneratesAsync();

        Assert.Equal(1, second); // only the new regenerate's pair: nothing else of this project's, nor of any other, is pending
        Assert.Equal(2, await PairCountAsync(project));
        var pairs = await PairsAsync(project);
        Assert.Equal(["1", "3"], pairs.Select(p => p.Rejected));
        // The first run's pair was not written again: the same row, created_at included (exports page by it).
        Assert.Equal(Row(first), Row(pairs[0]));
    }

    [Fact]
    public async Task A_new_approval_of_a_regenerated_answer_reads_its_regenerate_again_but_writes_nothing()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([Turn(project, "a", "1"), Turn(project, "b", "2"), Regenerate(project, "a", "b"), Event(project, EventKinds.Copy, "b", 10)]);
        await MineRegeneratesAsync();
        var first = Assert.Single(await PairsAsync(project));

        // A thumb up sorts before a copy, so the regenerate's preferred lineage is now another one: still no second pair.
        await events.AppendAsync([Reaction(project, "b", thumb: "up"), Reaction(project, "a", thumb: "down")]);
        var second = await MineRegeneratesAsync();

        Assert.Equal(0, second);
        Assert.Equal(1, await PairCountAsync(project));
        var pair = Assert.Single(await PairsAsync(project));
        Assert.Equal(Row(first), Row(pair));
        Assert.Equal(RegeneratePairMiner.CopyConfidence, pair.Confidence);
    }

    [Fact]
    public async Task A_regenerate_whose_replaced_turn_arrives_after_it_is_mined_once_the_turn_arrives()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([Regenerate(project, "a", "b"), Turn(project, "b", "right"), Reaction(project, "b", thumb: "up")]);
        await MineRegeneratesAsync();
        Assert.Empty(await PairsAsync(project));

        await events.AppendAsync([Turn(project, "a", "wrong")]);
        Assert.Equal(1, await MineRegeneratesAsync());
        var pair = Assert.Single(await PairsAsync(project));
        Assert.Equal(("right", "wrong", "a"), (pair.Chosen, pair.Rejected, pair.TurnId));
    }

    [Fact]
    public async Task A_regenerate_whose_new_answer_is_approved_later_is_mined_once_the_approval_arrives()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new EventStore(store.Engine);
        await events.AppendAsync([Turn(project, "a", "wrong"), Regenerate(project, "a", "b")]);
        await MineRegeneratesAsync();
        await events.AppendAsync([Turn(project, "b", "right")]);
        await MineRegeneratesAsync();
        Assert.Empty(await PairsAsync(project)); // not approved yet

        await events.AppendAsync([Reaction(project, "b", emoji: "🎉")]);
        Assert.Equal(1, await MineRegeneratesAsync());
        Assert.Equal("right", Assert.Single(await PairsAsync(project)).Chosen);
    }

    [Fact]
    public async Task The_mining_job_counts_each_source()
    {
        var (project, _) = await store.NewProjectAsync();
        await new EventStore(store.Engine).AppendAsync([
            Turn(project, "a", "one"), Turn(project, "b", "two"), Choice(project, "a", "a", "b"),
            Regenerate(project, "a", "b"), Reaction(project, "b", thumb: "up"),
        ]);
        var job = MiningJob.Over(store.Engine, TimeProvider.System);

        var first = await job.RunAsync();
        var second = await job.RunAsync();

        Assert.True(first.Pairs[PairSources.Choice] >= 1); // other tests' projects may hold pending events too
        Assert.True(first.Pairs[PairSources.Regenerate] >= 1);
        Assert.Equal(0, second.TotalPairs);
        Assert.Equal([PairSources.Choice, PairSources.Regenerate], (await PairsAsync(project)).Select(p => p.Source));
    }
}
