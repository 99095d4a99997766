using System.Text.Json.Nodes;
using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Reviews;
using Feedback.Cli.Backends;
using Feedback.Cli.Reviews;
using Feedback.Events;
using Feedback.Server.Hosting;
using Feedback.Tests.Mining;
using Spectre.Console;

namespace Feedback.Tests.Reviews;

/// <summary>
/// <c>feedback review</c> on the real store (docs/reviews.md): the terminal flow driven through stdin lines, the
/// JSON Lines export and import, and the same through the running server's <c>/v1/reviews</c> routes.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class ReviewCommandTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] FollowUps =
    [
        "thanks, that works perfectly", "No, that's wrong.", "can you say more about the second step?",
        "that is not what I asked", "shorter please", "ok", "hmm, are you sure about that?",
    ];

    /// <summary>Plants <paramref name="count"/> conversations of a turn and a follow-up each, mines, and returns their follow-ups' event ids.</summary>
    private async Task<List<Guid>> PlantFollowUpsAsync(string project, int count)
    {
        var events = new List<FeedbackEvent>();
        var followUps = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            FeedbackEvent Event(string kind, int second) =>
                StoredEvents.InConversation(project, $"c{i}", kind, $"t{i}", T0.AddMinutes(i).AddSeconds(second), _ => { });
            var turn = Event(EventKinds.Turn, 0);
            turn.Request = [new RequestMessage("user", $"Question number {i}: how do I sort a list in C#?")];
            turn.Response = $"Answer {i}: call list.Sort() or use LINQ's OrderBy.";
            turn.Model = "m";
            turn.ModelVersion = "v1";
            var followUp = Event(EventKinds.FollowUp, 10);
            followUp.Message = $"{FollowUps[i % FollowUps.Length]} ({i})";
            events.Add(turn);
            events.Add(followUp);
            followUps.Add(followUp.EventId!.Value);
        }
        await new EventStore(store.Engine).AppendAsync(events);
        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        return followUps;
    }

    private async Task<Dictionary<Guid, StoredReview>> StoredReviewsAsync(string project) =>
        (await store.Engine.QueryAsync<StoredReview>(
            "SELECT event_id, label, labelled_by FROM follow_up_reviews FINAL WHERE project = {project:String} AND source = 'review'",
            new { project })).ToDictionary(r => r.EventId);

    private sealed record StoredReview(Guid EventId, string Label, string LabelledBy);

    private static IAnsiConsole Terminal(StringWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(output),
    });

    /// <summary>The real backend, noting the size of each batch it is sent.</summary>
    private sealed class BatchCounting(IReviews inner) : IReviews
    {
        public List<int> Batches { get; } = [];

        public Task<ReviewQueuePage> ReadQueueAsync(string project, int limit, CancellationToken cancellationToken) =>
            inner.ReadQueueAsync(project, limit, cancellationToken);

        public Task<ReviewOutcome> SubmitAsync(string project, string reviewer, IReadOnlyList<FollowUpReview> reviews, CancellationToken cancellationToken)
        {
            Batches.Add(reviews.Count);
            return inner.SubmitAsync(project, reviewer, reviews, cancellationToken);
        }
    }

    [Fact]
    public async Task Fifty_follow_ups_are_labelled_through_stdin_with_confirm_digits_names_skip_back_and_quit()
    {
        var (project, _) = await store.NewProjectAsync();
        await PlantFollowUpsAsync(project, 56);
        var reviews = new BatchCounting(new InProcessReviews(store.Engine));
        var queue = (await reviews.ReadQueueAsync(project, 56, CancellationToken.None)).Items;
        Assert.Equal(56, queue.Count); // precondition: every follow-up is in the queue

        // One answer per line, as a script pipes them; the expected label of each item follows from its proposed one.
        var lines = new List<string>();
        var expected = new Dictionary<Guid, string>();
        for (var i = 0; i < 50; i++)
        {
            var item = queue[i];
            var other = FollowUpLabels.All.First(l => l != item.ProposedLabel);
            switch (i % 6)
            {
                case 0:
                    lines.Add(""); // Enter: confirm
                    expected[item.EventId] = item.ProposedLabel;
                    break;
                case 1:
                    lines.Add("y");
                    expected[item.EventId] = item.ProposedLabel;
                    break;
                case 2:
                    var digit = (i / 6 % FollowUpLabels.All.Count) + 1;
                    lines.Add(digit.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    expected[item.EventId] = FollowUpLabels.All[digit - 1];
                    break;
                case 3:
                    lines.Add("s");
                    expected[item.EventId] = FollowUpReview.Skip;
                    break;
                case 4:
                    // A wrong key is asked again; a label's name works as well as its digit.
                    lines.AddRange(["x", other]);
                    expected[item.EventId] = other;
                    break;
                case 5:
                    // Confirm, think again: back to this item and pick another label.
                    lines.AddRange(["y", "b", other]);
                    expected[item.EventId] = other;
                    break;
            }
        }
        lines.Add("q");
        lines.Add("1"); // after quit: never read
        using var output = new StringWriter();
        var session = new ReviewSession(reviews, Terminal(output), ReviewKeys.FromLines(new StringReader(string.Join('\n', lines))));

        var code = await session.RunAsync(project, "ana@example.com", 56, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        var stored = await StoredReviewsAsync(project);
        Assert.Equal(50, stored.Count);
        Assert.All(stored.Values, r => Assert.Equal("ana@example.com", r.LabelledBy));
        Assert.Equal(expected.OrderBy(e => e.Key), stored.Select(s => KeyValuePair.Create(s.Key, s.Value.Label)).OrderBy(e => e.Key));
        // Sent as it goes, ten at a time, not all at the end (a label changed after its batch went is sent again).
        Assert.Equal(ReviewSession.BatchSize, reviews.Batches[0]);
        Assert.All(reviews.Batches, b => Assert.InRange(b, 1, ReviewSession.BatchSize));
        Assert.InRange(reviews.Batches.Sum(), 50, 50 + reviews.Batches.Count);
        Assert.True(reviews.Batches.Count >= 5, string.Join(",", reviews.Batches));
        // Quit left the last six waiting, in their queue order.
        var left = await reviews.ReadQueueAsync(project, 56, CancellationToken.None);
        Assert.Equal(6, left.Pending);
        Assert.Equal(queue.Skip(50).Select(i => i.EventId), left.Items.Select(i => i.EventId));
        var text = output.ToString();
        Assert.Contains("Unknown key 'x'", text, StringComparison.Ordinal);
        Assert.Contains("Stopped at 51 of 56", text, StringComparison.Ordinal);
        Assert.Contains(queue[0].FollowUp, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Back_over_a_batch_already_sent_replaces_its_label_and_the_end_of_input_submits_the_rest()
    {
        var (project, _) = await store.NewProjectAsync();
        await PlantFollowUpsAsync(project, 13);
        var reviews = new InProcessReviews(store.Engine);
        var queue = (await reviews.ReadQueueAsync(project, 13, CancellationToken.None)).Items;
        var relabel = FollowUpLabels.All.First(l => l != queue[9].ProposedLabel);
        // Ten confirmations (a batch is sent), back to the tenth, another label for it, one more, then stdin ends.
        var input = string.Join('\n', [.. Enumerable.Repeat("y", 10), "b", relabel, "y"]);
        using var output = new StringWriter();

        var code = await new ReviewSession(reviews, Terminal(output), ReviewKeys.FromLines(new StringReader(input)))
            .RunAsync(project, "ben", 13, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        var stored = await StoredReviewsAsync(project);
        Assert.Equal(11, stored.Count);
        Assert.Equal(relabel, stored[queue[9].EventId].Label);
        Assert.Equal(queue[10].ProposedLabel, stored[queue[10].EventId].Label);
        Assert.All(queue.Take(9), item => Assert.Equal(item.ProposedLabel, stored[item.EventId].Label));
    }

    [Fact]
    public async Task The_queue_exported_as_json_lines_comes_back_with_the_labels_filled_in()
    {
        var (project, _) = await store.NewProjectAsync();
        var planted = await PlantFollowUpsAsync(project, 12);
        var reviews = new InProcessReviews(store.Engine);
        var file = Path.Combine(store.DataDirectory, "reviews-" + project + ".jsonl");
        using var output = new StringWriter();

        Assert.Equal(0, await ReviewFiles.ExportAsync(reviews, project, 10, file, output, CancellationToken.None));

        var rows = File.ReadAllLines(file).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(10, rows.Count);
        var queue = (await reviews.ReadQueueAsync(project, 10, CancellationToken.None)).Items;
        Assert.Equal(queue.Select(i => i.EventId.ToString()), rows.Select(r => (string)r["event_id"]!));
        Assert.All(rows, r => Assert.Contains(Guid.Parse((string)r["event_id"]!), planted));
        Assert.Equal(
            ["event_id", "conversation_id", "turn_id", "request", "response", "follow_up", "proposed_label", "confidence", "proposed_by", "disagreement", "label"],
            rows[0].Select(p => p.Key));
        Assert.Equal(queue[0].FollowUp, (string)rows[0]["follow_up"]!);
        Assert.Equal(queue[0].Request, (string)rows[0]["request"]!);
        Assert.All(rows, r => Assert.Equal("", (string)r["label"]!));

        // Labelled elsewhere: eight filled in (one in capitals), two left blank.
        var labels = new Dictionary<string, string>();
        for (var i = 0; i < 8; i++)
        {
            var label = FollowUpLabels.All[i % FollowUpLabels.All.Count];
            rows[i]["label"] = i == 0 ? label.ToUpperInvariant() : label;
            labels[(string)rows[i]["event_id"]!] = label;
        }
        await File.WriteAllLinesAsync(file, rows.Select(r => r.ToJsonString()));
        using var errors = new StringWriter();
        output.GetStringBuilder().Clear();

        Assert.Equal(0, await ReviewFiles.ImportAsync(reviews, project, "team-b", file, output, errors, CancellationToken.None));

        Assert.Equal("", errors.ToString());
        Assert.Contains("Stored 8 reviews", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("left out 2 lines without a label", output.ToString(), StringComparison.Ordinal);
        var stored = await StoredReviewsAsync(project);
        Assert.Equal(labels.OrderBy(l => l.Key), stored.Select(s => KeyValuePair.Create(s.Key.ToString(), s.Value.Label)).OrderBy(l => l.Key));
        Assert.All(stored.Values, r => Assert.Equal("team-b", r.LabelledBy));
    }

    [Fact]
    public async Task An_import_with_bad_lines_stores_the_good_ones_and_reports_each_bad_line_by_number()
    {
        var (project, _) = await store.NewProjectAsync();
        var (otherProject, _) = await store.NewProjectAsync();
        var mine = await PlantFollowUpsAsync(project, 3);
        var theirs = await PlantFollowUpsAsync(otherProject, 1);
        var file = Path.Combine(store.DataDirectory, "bad-" + project + ".jsonl");
        await File.WriteAllLinesAsync(file,
        [
            $$"""{"event_id":"{{mine[0]}}","label":"correction","follow_up":"ignored"}""",
            $$"""{"event_id":"{{mine[1]}}","label":"great"}""",
            """{"event_id": "not closed""",
            "",
            $$"""{"event_id":"{{theirs[0]}}","label":"positive"}""",
            """["a","b"]""",
            """{"label":"positive"}""",
            $$"""{"event_id":"{{mine[2]}}","label":"skip"}""",
        ]);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await ReviewFiles.ImportAsync(new InProcessReviews(store.Engine), project, "cy", file, output, errors, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("Stored 2 reviews", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("rejected 5 lines", output.ToString(), StringComparison.Ordinal);
        var reported = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["line 2:", "line 3:", "line 5:", "line 6:", "line 7:"], reported.Select(l => l[..(l.IndexOf(':', StringComparison.Ordinal) + 1)]));
        Assert.Contains("Unknown label 'great'", reported[0], StringComparison.Ordinal);
        Assert.Contains("malformed line", reported[1], StringComparison.Ordinal);
        Assert.Contains($"Not a follow-up of project '{project}'", reported[2], StringComparison.Ordinal);
        Assert.Contains("malformed line", reported[3], StringComparison.Ordinal);
        Assert.Contains("malformed line", reported[4], StringComparison.Ordinal);
        var stored = await StoredReviewsAsync(project);
        Assert.Equal(
            new[] { (mine[0], "correction"), (mine[2], FollowUpReview.Skip) }.OrderBy(r => r.Item1),
            stored.Values.Select(r => (r.EventId, r.Label)).OrderBy(r => r.EventId));
        Assert.Empty(await StoredReviewsAsync(otherProject));
    }

    [Fact]
    public async Task Through_the_running_server_the_flow_and_the_import_do_the_same_with_the_local_token()
    {
        var (project, _) = await store.NewProjectAsync();
        var (otherProject, _) = await store.NewProjectAsync();
        await PlantFollowUpsAsync(project, 4);
        var theirs = await PlantFollowUpsAsync(otherProject, 1);
        await using var host = await store.StartHostAsync();
        using var http = host.Services.GetRequiredService<LocalServer>().Client(); // what StoreBackend hands the commands
        var remote = new RemoteReviews(http);
        var queue = (await remote.ReadQueueAsync(project, 10, CancellationToken.None)).Items;
        Assert.Equal(
            (await new InProcessReviews(store.Engine).ReadQueueAsync(project, 10, CancellationToken.None)).Items.Select(i => (i.EventId, i.FollowUp, i.ProposedLabel)),
            queue.Select(i => (i.EventId, i.FollowUp, i.ProposedLabel)));
        using var output = new StringWriter();

        var code = await new ReviewSession(remote, Terminal(output), ReviewKeys.FromLines(new StringReader("y\n3\ns\nq\n")))
            .RunAsync(project, "dee", 10, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        var stored = await StoredReviewsAsync(project);
        Assert.Equal(
            [(queue[0].EventId, queue[0].ProposedLabel), (queue[1].EventId, FollowUpLabels.All[2]), (queue[2].EventId, FollowUpReview.Skip)],
            stored.Values.Select(r => (r.EventId, r.Label)).OrderBy(r => queue.ToList().FindIndex(i => i.EventId == r.EventId)));
        Assert.All(stored.Values, r => Assert.Equal("dee", r.LabelledBy));

        // Every line refused: the server answers 400 with the reasons, and the import reports them the same way.
        var file = Path.Combine(store.DataDirectory, "remote-" + project + ".jsonl");
        await File.WriteAllLinesAsync(file,
            [$$"""{"event_id":"{{theirs[0]}}","label":"positive"}""", $$"""{"event_id":"{{queue[3].EventId}}","label":"meh"}"""]);
        using var errors = new StringWriter();
        Assert.Equal(1, await ReviewFiles.ImportAsync(remote, project, "dee", file, output, errors, CancellationToken.None));
        var reported = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, reported.Length);
        Assert.StartsWith($"line 1: Not a follow-up of project '{project}'", reported[0], StringComparison.Ordinal);
        Assert.StartsWith("line 2: Unknown label 'meh'", reported[1], StringComparison.Ordinal);
        Assert.Equal(3, (await StoredReviewsAsync(project)).Count);
    }
}
