using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Feedback.Analytics;
using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Reviews;
using Feedback.Events;
using Feedback.Server.Hosting;
using Feedback.Tests.Mining;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Feedback.Tests.Reviews;

/// <summary>
/// The optional LLM labeler as a stage of the mining run, through the real store, with fake chat models that answer
/// well, answer garbage or hang (docs/mining.md, "LLM labeler (optional)").
/// </summary>
[Collection(SharedStore.Name)]
public sealed partial class ChatClientLabelerTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    // Follow-ups after "Convert 100 USD to EUR" / "100 USD is about 92 EUR.", and what a good LLM says of them:
    // labels the classifier does not give (the tests check that first), so a label from the LLM shows.
    private static readonly Dictionary<string, string> LlmSays = new()
    {
        ["perfect, thank you so much!"] = "complaint", // read as sarcasm
        ["for the rate of last friday"] = "correction",
        ["hmm"] = "clarification",
        ["are you sure?"] = "complaint",
        ["now translate it into Italian"] = "positive",
        ["thanks, that worked"] = "none",
    };

    private static readonly string[] FollowUps = [.. LlmSays.Keys];

    private readonly LinesLogger log = new();

    /// <summary>A fake chat model: reads the follow-ups of each batch from the prompt, remembers them, and answers as told.</summary>
    private sealed partial class FakeChatClient(Func<IReadOnlyList<(int Id, string FollowUp)>, int, string> answer) : IChatClient
    {
        public List<List<string>> Batches { get; } = [];

        /// <summary>Never answers, and ignores the cancellation token too.</summary>
        public bool Hang { get; init; }

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var prompt = messages.Last().Text;
            var items = Item().Matches(prompt).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value)).ToList();
            Batches.Add(items.Select(i => i.Item2).ToList());
            if (Hang) await new TaskCompletionSource().Task;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(items, Batches.Count)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("fake", null, "fake-labeler-1") : null;

        public void Dispose() { }

        [GeneratedRegex(@"^Follow-up id (\d+)\n(?:.*\n){2}Follow-up: (.*)$", RegexOptions.Multiline)]
        private static partial Regex Item();
    }

    private sealed class LinesLogger : ILogger<ChatClientFollowUpLabeler>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }

    /// <summary>An LLM that labels every follow-up as <paramref name="labelOf"/> says, with a confidence of 0.8.</summary>
    private static FakeChatClient Labelling(Func<string, string> labelOf) => new((items, _) =>
        $$"""{"labels": [{{string.Join(", ", items.Select(i => $$"""{"id": {{i.Id}}, "label": "{{labelOf(i.FollowUp)}}", "confidence": 0.8}"""))}}]}""");

    private MiningJob Job(IChatClient client, Action<ChatClientLabelerOptions> configure) =>
        new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ILogger<ChatClientFollowUpLabeler>>(log)
            .AddFeedbackAnalytics(store.Engine)
            .UseChatClientLabeler(client, configure)
            .BuildServiceProvider().GetRequiredService<MiningJob>();

    /// <summary>One conversation per follow-up: a turn, then the follow-up; returns the follow-ups' event ids by turn id.</summary>
    private async Task<Dictionary<string, Guid>> AppendAsync(string project, int first, params string[] followUps)
    {
        var events = new List<FeedbackEvent>();
        var ids = new Dictionary<string, Guid>();
        for (var i = first; i < first + followUps.Length; i++)
        {
            var turnId = "t" + i;
            events.Add(Event(project, EventKinds.Turn, turnId, i, e =>
            {
                e.Request = [new RequestMessage("user", "Convert 100 USD to EUR")];
                e.Response = "100 USD is about 92 EUR.";
                e.Model = "m";
            }));
            var followUp = Event(project, EventKinds.FollowUp, turnId, i, e => e.Message = followUps[i - first]);
            events.Add(followUp);
            ids[turnId] = followUp.EventId!.Value;
        }
        await new EventStore(store.Engine).AppendAsync(events);
        return ids;
    }

    private static FeedbackEvent Event(string project, string kind, string turnId, int conversation, Action<FeedbackEvent> set) =>
        StoredEvents.InConversation(project, "c" + conversation, kind, turnId, T0.AddMinutes(conversation).AddSeconds(kind == EventKinds.Turn ? 0 : 10), set);

    private async Task<Dictionary<string, SignalRow>> SignalsAsync(string project) =>
        (await store.Engine.QueryAsync<SignalRow>(
            """
            SELECT t.turn_id AS turn_id, t.follow_up_label AS follow_up_label, t.follow_up_source AS follow_up_source, s.follow_up_label AS model_label
            FROM (SELECT turn_id, follow_up_label, follow_up_source FROM turn_signals FINAL WHERE project = {project:String}) AS t
            JOIN (SELECT turn_id, follow_up_label FROM text_signals FINAL WHERE project = {project:String} AND kind = 'follow_up') AS s ON s.turn_id = t.turn_id
            """,
            new { project })).ToDictionary(r => r.TurnId);

    private async Task<List<LlmRow>> LlmRowsAsync(string project) =>
        [.. await store.Engine.QueryAsync<LlmRow>(
            "SELECT event_id, label, confidence, labelled_by FROM follow_up_reviews FINAL WHERE project = {project:String} AND source = 'llm'",
            new { project })];

    private sealed record SignalRow(string TurnId, string FollowUpLabel, string FollowUpSource, string ModelLabel);

    private sealed record LlmRow(Guid EventId, string Label, float Confidence, string LabelledBy);

    [Fact]
    public async Task A_model_that_answers_well_relabels_the_turns_in_the_same_run_fills_the_queue_and_is_not_asked_twice()
    {
        var (project, _) = await store.NewProjectAsync();
        // t0 is mined before the labeler is configured, so its turn is derived already and must be derived again.
        var ids = await AppendAsync(project, 0, FollowUps[0]);
        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        Assert.Equal("model", (await SignalsAsync(project))["t0"].FollowUpSource); // precondition
        foreach (var (turn, id) in await AppendAsync(project, 1, FollowUps[1])) ids[turn] = id; // t1 arrives with the labeler on
        var llm = Labelling(followUp => LlmSays[followUp]);

        var result = await Job(llm, o => o.Projects = [project]).RunAsync();

        Assert.Equal(2, result.LabelledByLlm);
        var signals = await SignalsAsync(project);
        foreach (var (turn, followUp) in new[] { ("t0", FollowUps[0]), ("t1", FollowUps[1]) })
        {
            Assert.NotEqual(LlmSays[followUp], signals[turn].ModelLabel); // the classifier said something else
            Assert.Equal((LlmSays[followUp], "llm"), (signals[turn].FollowUpLabel, signals[turn].FollowUpSource));
        }
        var rows = await LlmRowsAsync(project);
        Assert.Equal(ids.Values.Order(), rows.Select(r => r.EventId).Order());
        Assert.All(rows, r => Assert.Equal(("fake/fake-labeler-1", 0.8f), (r.LabelledBy, r.Confidence)));
        Assert.Equal(FollowUps[..2].Order(), Assert.Single(llm.Batches).Order()); // one batch
        var queue = await new ReviewQueueReader(store.Engine).ReadAsync(project);
        Assert.Equal(2, queue.Items.Count);
        Assert.All(queue.Items, i => Assert.Equal(("llm", LlmSays[i.FollowUp], 0.8f), (i.ProposedBy, i.ProposedLabel, i.Confidence)));

        // The cache: another run, even of another job, sends nothing for follow-ups labelled already.
        Assert.Equal(0, (await Job(llm, o => o.Projects = [project]).RunAsync()).LabelledByLlm);
        Assert.Single(llm.Batches);
    }

    [Fact]
    public async Task Garbage_keeps_the_models_labels_stores_nothing_of_it_is_logged_and_loses_no_good_label_beside_it()
    {
        var (project, _) = await store.NewProjectAsync();
        await AppendAsync(project, 0, FollowUps[..4]);
        var llm = new FakeChatClient((items, call) => call switch
        {
            1 => "Sure! The first one is a complaint, I would say.",
            2 => $$"""{"labels": [{"id": {{items[0].Id}}, "label": "sarcasm", "confidence": 0.9}]}""",
            3 => """{"labels": [{"id": 7, "label": "complaint", "confidence": 0.9}]}""",
            // A usable label beside an unusable one: the usable one is kept, its confidence clamped to 0..1.
            _ => $$"""[{"id": {{items[0].Id}}, "label": "{{LlmSays[items[0].FollowUp]}}", "confidence": -2}, {"id": 2, "label": "none", "confidence": 0.5}]""",
        });

        var result = await Job(llm, o => (o.Projects, o.BatchSize) = ([project], 1)).RunAsync();

        Assert.Equal(4, llm.Batches.Count);
        Assert.Equal(1, result.LabelledByLlm);
        Assert.True(result.TurnSignals >= 4); // the run went on
        var kept = Assert.Single(await LlmRowsAsync(project));
        Assert.Equal(0f, kept.Confidence);
        var signals = await SignalsAsync(project);
        var llmTurns = signals.Values.Where(s => s.FollowUpSource == "llm").ToList();
        Assert.Equal(LlmSays[llm.Batches[3][0]], Assert.Single(llmTurns).FollowUpLabel);
        Assert.All(signals.Values.Except(llmTurns), s => Assert.Equal((s.ModelLabel, "model"), (s.FollowUpLabel, s.FollowUpSource)));
        Assert.Contains(log.Lines, l => l.Contains("not the JSON asked for", StringComparison.Ordinal) && l.Contains("Sure!", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("'sarcasm' is not one of", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("no follow-up has the id 7", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("no follow-up has the id 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_that_hangs_is_given_up_at_the_timeout_and_the_run_goes_on_with_the_models_labels()
    {
        var (project, _) = await store.NewProjectAsync();
        await AppendAsync(project, 0, FollowUps[..3]);
        var llm = new FakeChatClient((_, _) => "never") { Hang = true };

        var result = await Job(llm, o => (o.Projects, o.BatchSize, o.Timeout) = ([project], 1, TimeSpan.FromMilliseconds(200))).RunAsync();

        Assert.Single(llm.Batches); // the stage stops at the first timeout rather than waiting once per batch
        Assert.Equal(0, result.LabelledByLlm);
        Assert.Empty(await LlmRowsAsync(project));
        var signals = await SignalsAsync(project);
        Assert.Equal(3, signals.Count);
        Assert.All(signals.Values, s => Assert.Equal((s.ModelLabel, "model"), (s.FollowUpLabel, s.FollowUpSource)));
        Assert.Contains(log.Lines, l => l.Contains("did not label 1 follow-ups within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_that_fails_keeps_the_models_labels()
    {
        var (project, _) = await store.NewProjectAsync();
        await AppendAsync(project, 0, FollowUps[..2]);
        var llm = new FakeChatClient((_, _) => throw new HttpRequestException("503 from the provider"));

        var result = await Job(llm, o => o.Projects = [project]).RunAsync();

        Assert.Equal(0, result.LabelledByLlm);
        Assert.Empty(await LlmRowsAsync(project));
        Assert.All((await SignalsAsync(project)).Values, s => Assert.Equal("model", s.FollowUpSource));
        Assert.Contains(log.Lines, l => l.Contains("could not label 2 follow-ups", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_the_least_confident_are_sent_per_run_and_a_projects_day_stops_at_its_budget()
    {
        var (project, _) = await store.NewProjectAsync();
        await AppendAsync(project, 0, FollowUps);
        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        var byConfidence = (await store.Engine.QueryAsync<ConfidenceRow>(
            """
            SELECT e.message AS message, s.follow_up_confidence AS confidence
            FROM (SELECT event_id, event_timestamp, follow_up_confidence FROM text_signals FINAL WHERE project = {project:String} AND kind = 'follow_up') AS s
            JOIN (SELECT event_id, message FROM events WHERE project = {project:String} AND kind = 'follow_up') AS e ON e.event_id = s.event_id
            ORDER BY s.follow_up_confidence, s.event_timestamp, s.event_id
            """, new { project })).Select(r => r.Message).ToList();
        Assert.Equal(6, byConfidence.Count); // precondition
        var llm = Labelling(followUp => LlmSays[followUp]);

        // MaxPerRun 2: the two least confident, in one batch.
        var first = await Job(llm, o => (o.Projects, o.MaxPerRun, o.BatchSize) = ([project], 2, 5)).RunAsync();
        Assert.Equal(2, first.LabelledByLlm);
        Assert.Equal([byConfidence[..2]], llm.Batches);

        // DailyBudget 3: of the four left, one more today, in batches of one; then nothing until tomorrow.
        var second = await Job(llm, o => (o.Projects, o.MaxPerRun, o.DailyBudget, o.BatchSize) = ([project], 10, 3, 1)).RunAsync();
        Assert.Equal(1, second.LabelledByLlm);
        Assert.Equal([byConfidence[..2], [byConfidence[2]]], llm.Batches);
        Assert.Equal(0, (await Job(llm, o => (o.Projects, o.DailyBudget) = ([project], 3)).RunAsync()).LabelledByLlm);
        Assert.Equal(2, llm.Batches.Count);
        Assert.Equal(3, (await LlmRowsAsync(project)).Count);
    }

    [Fact]
    public async Task A_persons_review_is_never_sent_and_wins_over_the_llms_label()
    {
        var (project, _) = await store.NewProjectAsync();
        var ids = await AppendAsync(project, 0, FollowUps[..3]);
        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();
        var reviews = new ReviewStore(store.Engine, TimeProvider.System);
        await reviews.SubmitAsync(project, "ana", [new FollowUpReview(ids["t2"], "positive")]); // reviewed before the LLM runs
        var llm = Labelling(followUp => LlmSays[followUp]);

        await Job(llm, o => o.Projects = [project]).RunAsync();

        Assert.Equal(FollowUps[..2].Order(), Assert.Single(llm.Batches).Order());
        await reviews.SubmitAsync(project, "ben", [new FollowUpReview(ids["t0"], "positive")]); // reviewed after it
        await Job(llm, o => o.Projects = [project]).RunAsync();
        var signals = await SignalsAsync(project);
        Assert.Equal(("positive", "review"), (signals["t0"].FollowUpLabel, signals["t0"].FollowUpSource));
        Assert.Equal((LlmSays[FollowUps[1]], "llm"), (signals["t1"].FollowUpLabel, signals["t1"].FollowUpSource));
        Assert.Equal(("positive", "review"), (signals["t2"].FollowUpLabel, signals["t2"].FollowUpSource));
        Assert.Single(llm.Batches);
        var queue = await new ReviewQueueReader(store.Engine).ReadAsync(project);
        Assert.Equal(FollowUps[1], Assert.Single(queue.Items).FollowUp); // the reviewed ones have left the queue
    }

    [Theory]
    [InlineData(0, 1000, 20, 60)]
    [InlineData(200, 0, 20, 60)]
    [InlineData(200, 1000, 0, 60)]
    [InlineData(200, 1000, 101, 60)]
    [InlineData(200, 1000, 20, 0)]
    public void Options_out_of_range_are_refused_when_the_labeler_is_configured(int maxPerRun, int dailyBudget, int batchSize, int timeoutSeconds)
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.UseChatClientLabeler(Labelling(_ => "none"), o =>
            (o.MaxPerRun, o.DailyBudget, o.BatchSize, o.Timeout) = (maxPerRun, dailyBudget, batchSize, TimeSpan.FromSeconds(timeoutSeconds))));
        Assert.Throws<ArgumentException>(() => services.UseChatClientLabeler(Labelling(_ => "none"), o => o.Projects = []));
    }

    [Fact]
    public async Task Without_the_labeler_the_stage_is_not_there()
    {
        var stages = new List<string>();
        var (project, _) = await store.NewProjectAsync();
        await AppendAsync(project, 0, FollowUps[0]);

        var result = await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync((stage, _) => stages.Add(stage));

        Assert.Equal(0, result.LabelledByLlm);
        Assert.DoesNotContain(stages, s => s.Contains("LLM", StringComparison.Ordinal));
        Assert.Contains("signals per turn", stages);
    }

    [Fact]
    public async Task The_server_host_takes_the_labeler_in_code_and_the_mining_run_endpoint_counts_its_labels()
    {
        var (project, _) = await store.NewProjectAsync();
        await AppendAsync(project, 0, FollowUps[..2]);
        var llm = Labelling(followUp => LlmSays[followUp]);
        await using var host = await FeedbackHost.StartAsync(new FeedbackHostOptions
        {
            DataDirectory = store.DataDirectory,
            Port = 0,
            MineEvery = TimeSpan.Zero,
            ConfigureServices = services => services.UseChatClientLabeler(llm, o => o.Projects = [project]),
        }, store.Engine, TextWriter.Null);

        using var local = RawEvents.Client(host, host.Services.GetRequiredService<LocalServer>().AdminToken);
        using var mined = await local.PostAsync("v1/mining/run", null);

        Assert.Equal(HttpStatusCode.OK, mined.StatusCode);
        Assert.Equal(2, (int)(await mined.Content.ReadFromJsonAsync<JsonObject>())!["labelled_by_llm"]!);
        Assert.Equal(2, (await LlmRowsAsync(project)).Count);
    }

    private sealed record ConfidenceRow(string Message, float? Confidence);
}
