using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Events;

namespace Feedback.Tests.Mining;

/// <summary>Pair sources 4 (follow-up) and 5 (same request) through a whole mining run on the real embedded store.</summary>
[Collection(SharedStore.Name)]
public sealed class FollowUpAndSameRequestMinerTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class Events(string project)
    {
        private int second;

        public List<FeedbackEvent> All { get; } = [];

        public FeedbackEvent Turn(string turnId, string request, string response, string user = "u1", string conversation = "c1") =>
            Add(EventKinds.Turn, turnId, user, conversation, e =>
            {
                e.Request = [new RequestMessage("user", request)];
                e.Response = response;
                e.Model = "m";
                e.ModelVersion = "v1";
            });

        public FeedbackEvent Feedback(FeedbackEvent turn, string kind, Action<FeedbackEvent> set) =>
            Add(kind, turn.TurnId!, turn.UserId!, turn.ConversationId!, set);

        public FeedbackEvent Thumb(FeedbackEvent turn, string thumb) => Feedback(turn, EventKinds.Reaction, e => e.Thumb = thumb);

        public FeedbackEvent Rating(FeedbackEvent turn, double rating) => Feedback(turn, EventKinds.Reaction, e => (e.Rating, e.RatingScale) = (rating, 5));

        public FeedbackEvent FollowUp(FeedbackEvent turn, string message) => Feedback(turn, EventKinds.FollowUp, e => e.Message = message);

        private FeedbackEvent Add(string kind, string turnId, string user, string conversation, Action<FeedbackEvent> set)
        {
            var e = new FeedbackEvent
            {
                EventId = Guid.CreateVersion7(),
                Kind = kind,
                Project = project,
                Timestamp = T0.AddSeconds(second += 10),
                ReceivedAt = DateTimeOffset.UtcNow,
                UserId = user,
                SessionId = "s-" + conversation,
                ConversationId = conversation,
                TurnId = turnId,
            };
            set(e);
            All.Add(e);
            return e;
        }
    }

    private async Task<MiningResult> MineAsync(Events events)
    {
        await new EventStore(store.Engine).AppendAsync(events.All);
        events.All.Clear();
        return await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
    }

    private async Task<IReadOnlyList<PreferencePair>> PairsAsync(string project, params string[] sources) =>
        await store.Engine.QueryAsync<PreferencePair>(
            "SELECT * FROM pairs FINAL WHERE project = {project:String} AND has({sources:Array(String)}, source) ORDER BY turn_id, chosen",
            new { project, sources });

    private static Guid Id(FeedbackEvent e) => e.EventId!.Value;

    private sealed record LabelRow(string FollowUpLabel);

    [Fact]
    public async Task A_correction_then_an_approved_answer_gives_one_follow_up_pair_with_the_original_request()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new Events(project);
        var a = events.Turn("a", "What is the capital of Australia?", "The capital of Australia is Sydney.");
        var followUp = events.FollowUp(a, "No, that's wrong - the capital is Canberra, not Sydney.");
        var b = events.Turn("b", "No, that's wrong - the capital is Canberra, not Sydney.", "You're right: the capital of Australia is Canberra.");
        var approval = events.Thumb(b, Thumbs.Up);

        await MineAsync(events);
        await MineAsync(events); // nothing new: the pair is not mined twice
        var pair = Assert.Single(await PairsAsync(project, PairSources.FollowUp));

        Assert.Equal("What is the capital of Australia?", Assert.Single(pair.Prompt).Content);
        Assert.Equal("You're right: the capital of Australia is Canberra.", pair.Chosen);
        Assert.Equal("The capital of Australia is Sydney.", pair.Rejected);
        Assert.Equal("a", pair.TurnId);
        Assert.Equal([Id(a), Id(followUp), Id(b), Id(approval)], pair.SourceEventIds);
        Assert.InRange(pair.Confidence, FollowUpPairMiner.Confidence * FollowUpPairMiner.MinLabelConfidence, FollowUpPairMiner.Confidence);
        Assert.Equal(("m", "v1", "u1"), (pair.Model, pair.ModelVersion, pair.UserId));
    }

    [Fact]
    public async Task The_answer_to_a_rephrase_is_paired_once_it_is_approved_on_a_later_run_and_never_when_disapproved()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new Events(project);
        var a = events.Turn("a", "How do I reverse a list in Python?", "Use items.sort(reverse=True).", conversation: "c1");
        events.FollowUp(a, "I meant: how do I get a reversed copy of a python list without changing the original list?");
        var b = events.Turn("b", "I meant: how do I get a reversed copy of a python list without changing the original list?", "Use items[::-1].", conversation: "c1");
        var x = events.Turn("x", "How do I reverse a list in Python?", "Use items.sort(reverse=True).", conversation: "c2");
        events.FollowUp(x, "I meant: how do I get a reversed copy of a python list without changing the original list?");
        var y = events.Turn("y", "I meant: how do I get a reversed copy of a python list without changing the original list?", "Use reversed().", conversation: "c2");
        events.Thumb(y, Thumbs.Down);
        await MineAsync(events);
        Assert.Empty(await PairsAsync(project, PairSources.FollowUp));

        events.Feedback(b, EventKinds.Copy, e => e.CopiedText = "items[::-1]");
        await MineAsync(events);

        var pair = Assert.Single(await PairsAsync(project, PairSources.FollowUp));
        Assert.Equal(("a", "Use items[::-1]."), (pair.TurnId, pair.Chosen));
    }

    [Fact]
    public async Task A_complaint_or_a_new_request_is_not_a_correction()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new Events(project);
        var a = events.Turn("a", "Write a haiku about autumn.", "Autumn is a season.");
        events.FollowUp(a, "this is useless, honestly");
        var b = events.Turn("b", "Now translate 'good morning' into Spanish.", "Buenos días.");
        events.Thumb(b, Thumbs.Up);

        await MineAsync(events);

        Assert.Empty(await PairsAsync(project, PairSources.FollowUp));
    }

    [Fact]
    public async Task An_unrelated_new_question_read_as_a_correction_gives_no_pair()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new Events(project);
        const string Message = "no, I meant how long do I boil an egg"; // read as a rephrase, about something else entirely
        var a = events.Turn("a", "What is the capital of Australia?", "The capital of Australia is Sydney.");
        events.FollowUp(a, Message);
        var b = events.Turn("b", Message, "Boil it for about seven minutes for a firm yolk.");
        events.Thumb(b, Thumbs.Up);

        await MineAsync(events);

        // Only meaningful if the classifier did read it as a correction: then only the relatedness guard stops the pair.
        var signals = await store.Engine.QueryAsync<LabelRow>(
            "SELECT follow_up_label FROM turn_signals FINAL WHERE project = {project:String} AND turn_id = 'a'", new { project });
        Assert.Contains(Assert.Single(signals).FollowUpLabel, new[] { "correction", "rephrase" });
        Assert.Empty(await PairsAsync(project, PairSources.FollowUp));
    }

    [Fact]
    public async Task The_same_request_typed_differently_with_opposite_thumbs_gives_a_pair_against_the_disapproved_answer()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new Events(project);
        var good = events.Turn("good", "What is 15% of 80?", "15% of 80 is 12.", user: "u1", conversation: "c1");
        events.Thumb(good, Thumbs.Up);
        var bad = events.Turn("bad", "  what is 15 % of 80 ", "15% of 80 is 15.", user: "u2", conversation: "c2");
        events.Feedback(bad, EventKinds.Reaction, e => e.Emoji = "👎🏽");
        var other = events.Turn("other", "What is 16% of 80?", "It is 8.", user: "u3", conversation: "c3");
        events.Thumb(other, Thumbs.Down);

        await MineAsync(events);
        await MineAsync(events);

        var pair = Assert.Single(await PairsAsync(project, PairSources.SameRequest, PairSources.SameRequestRating));
        Assert.Equal(PairSources.SameRequest, pair.Source);
        Assert.Equal(("bad", "15% of 80 is 12.", "15% of 80 is 15."), (pair.TurnId, pair.Chosen, pair.Rejected));
        Assert.Equal("  what is 15 % of 80 ", Assert.Single(pair.Prompt).Content);
        Assert.Equal("u2", pair.UserId);
        Assert.Equal([Id(bad), Id(good)], pair.SourceEventIds);
        Assert.Equal(SameRequestPairMiner.Confidence, pair.Confidence);
    }

    [Fact]
    public async Task Ratings_pair_only_with_ratings_under_their_own_source_and_a_lone_contrary_vote_is_outvoted()
    {
        var (project, _) = await store.NewProjectAsync();
        var events = new Events(project);
        var rated = events.Turn("rated", "Which planet is closest to the sun?", "Mercury.", user: "u1", conversation: "c1");
        events.Rating(rated, 5);
        var poorlyRated = events.Turn("poorly-rated", "Which planet is closest to the sun?", "Venus.", user: "u2", conversation: "c2");
        events.Rating(poorlyRated, 1);
        var thumbed = events.Turn("thumbed-down", "Which planet is closest to the sun?", "Mars.", user: "u3", conversation: "c3");
        events.Thumb(thumbed, Thumbs.Down);
        await MineAsync(events);

        var pair = Assert.Single(await PairsAsync(project, PairSources.SameRequest, PairSources.SameRequestRating));
        Assert.Equal((PairSources.SameRequestRating, "poorly-rated", "Mercury."), (pair.Source, pair.TurnId, pair.Chosen));

        // Thumbs: "Mercury." twice up and once (at random) down still wins; the down-voted copy is not rejected.
        for (var i = 0; i < 3; i++) events.Thumb(events.Turn($"m{i}", "Which planet is closest to the sun?", "Mercury.", user: $"v{i}", conversation: $"d{i}"), i < 2 ? Thumbs.Up : Thumbs.Down);
        await MineAsync(events);

        var pairs = await PairsAsync(project, PairSources.SameRequest);
        var thumbs = Assert.Single(pairs);
        Assert.Equal(("thumbed-down", "Mercury.", "Mars."), (thumbs.TurnId, thumbs.Chosen, thumbs.Rejected));
        Assert.Equal(SameRequestPairMiner.Confidence * 2 / 3, thumbs.Confidence, 5); // two of the chosen answer's three thumbs agree
    }
}
