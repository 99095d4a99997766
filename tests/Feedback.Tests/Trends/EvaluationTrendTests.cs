using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Feedback.Analytics.Conversations;
using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Model;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Trends;
using Feedback.Cli.Reports;
using Feedback.Events;

namespace Feedback.Tests.Trends;

/// <summary>
/// Evaluator series in the trends (docs/analytics.md, "Evaluator series"), and the rule that an evaluator's results
/// never change user-feedback signals, rates, pairs or labels.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class EvaluationTrendTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero); // a Monday
    private static readonly DateTimeOffset Day2 = Day1.AddDays(1);

    private TrendReports Reports => new(store.Engine);

    private static TrendFilter Week(string project) => new() { Project = project, From = Day1, To = Day1.AddDays(7) };

    private static FeedbackEvent Evaluation(string project, string turnId, string name, double? score, bool? failed = null, int minute = 0) =>
        Mining.StoredEvents.FeedbackOn(project, EventKinds.Evaluation, turnId, e =>
        {
            (e.UserId, e.SessionId, e.ConversationId) = (null, null, null);
            (e.EvaluationName, e.EvaluationScore, e.EvaluationFailed) = (name, score, failed);
        }, Day2.AddDays(2).AddMinutes(minute));

    [Fact]
    public async Task Evaluator_series_give_each_turns_newest_mean_score_and_failed_share_per_day_and_model_version()
    {
        var (project, _) = await store.NewProjectAsync();
        var planted = new PlantedTurns(project)
            .Plant(new Cohort("v1", Day1, 4) { Negative = 1 })
            .Plant(new Cohort("v2", Day2, 2))
            .Plant(new Cohort("v2", Day2, 1) { Stage = "draft" });
        await planted.WriteAsync(store.Engine);
        var v1 = planted.Signals.Take(4).Select(s => s.TurnId).ToArray();
        var v2 = planted.Signals.Skip(4).Take(2).Select(s => s.TurnId).ToArray();
        var draft = planted.Signals[6].TurnId;
        var redelivered = Evaluation(project, v2[1], "Relevance", 5);
        await new EventStore(store.Engine).AppendAsync([redelivered]); // stored twice, counted once
        await new EventStore(store.Engine).AppendAsync(
        [
            redelivered,
            Evaluation(project, v1[0], "Relevance", 5, failed: false, minute: 0),
            Evaluation(project, v1[0], "Relevance", 1, failed: true, minute: 5), // re-evaluated: the newer result counts
            Evaluation(project, v1[1], "Relevance", 3, failed: false),
            Evaluation(project, v1[2], "Relevance", score: null, failed: true), // a verdict without a score
            Evaluation(project, v1[0], "Coherence", 4),
            Evaluation(project, v2[0], "Relevance", 4),
            Evaluation(project, draft, "Relevance", 1), // filtered out below by stage
            Evaluation(project, "never-seen-turn", "Relevance", 1), // no turn event: not counted, as feedback is not
        ]);

        var report = await Reports.TrendsAsync(Week(project) with { Stages = ["answer"] }, TrendInterval.Day, TrendField.ModelVersion);

        Assert.Equal([("v1", "Coherence"), ("v1", "Relevance"), ("v2", "Relevance")], report.Evaluations.Select(s => (s.Key, s.EvaluationName)));
        Assert.All(report.Evaluations, s => Assert.Equal("evaluator", s.Source));
        var coherence = Assert.Single(report.Evaluations[0].Points);
        Assert.Equal((Day1.UtcDateTime, 1L, 4.0, (double?)null), (coherence.Time, coherence.EvaluatedTurns, coherence.MeanScore, coherence.FailedRate));
        var relevance1 = Assert.Single(report.Evaluations[1].Points);
        Assert.Equal((Day1.UtcDateTime, 3L, 2L, 3L), (relevance1.Time, relevance1.EvaluatedTurns, relevance1.ScoredTurns, relevance1.JudgedTurns));
        Assert.Equal(2.0, relevance1.MeanScore!.Value, 12); // (1 + 3) / 2: the first turn's older 5 is replaced
        Assert.Equal(2 / 3.0, relevance1.FailedRate!.Value, 12);
        var relevance2 = Assert.Single(report.Evaluations[2].Points);
        Assert.Equal((Day2.UtcDateTime, 2L, 0L), (relevance2.Time, relevance2.EvaluatedTurns, relevance2.JudgedTurns));
        Assert.Equal(4.5, relevance2.MeanScore!.Value, 12);
        Assert.Null(relevance2.FailedRate);
        // The feedback series are as planted: three failed verdicts on v1 do not make its turns negative.
        Assert.Equal(1 / 4.0, report.Series.Single(s => s.Key == "v1").Points.Single().NegativeRate!.Value, 12);
    }

    [Fact]
    public async Task Evaluations_change_no_signal_feedback_rate_pair_or_label()
    {
        var (without, _) = await store.NewProjectAsync();
        var (with, _) = await store.NewProjectAsync();
        var hour = DateTimeOffset.UtcNow.AddHours(-2);
        var at = new DateTimeOffset(hour.Year, hour.Month, hour.Day, hour.Hour, 5, 0, TimeSpan.Zero); // every turn in one week, whenever it runs
        static List<FeedbackEvent> UserEvents(string project, DateTimeOffset at) =>
        [
            Mining.StoredEvents.Turn(project, "t1", at, prompt: "Capital of Australia?", response: "Sydney."),
            Mining.StoredEvents.FeedbackOn(project, EventKinds.Edit, "t1", e => e.EditedResponse = "Canberra.", at.AddSeconds(10)),
            Mining.StoredEvents.Turn(project, "t2", at.AddMinutes(1), prompt: "Largest planet?", response: "Saturn."),
            Mining.StoredEvents.FeedbackOn(project, EventKinds.Reaction, "t2", e => e.Thumb = Thumbs.Down, at.AddMinutes(1).AddSeconds(5)),
            Mining.StoredEvents.Turn(project, "t3", at.AddMinutes(2), prompt: "Boiling point of water at sea level?", response: "100 °C.", userId: "u2"),
            Mining.StoredEvents.FeedbackOn(project, EventKinds.Reaction, "t3", e => (e.UserId, e.Thumb) = ("u2", Thumbs.Up), at.AddMinutes(2).AddSeconds(5)),
            // The same request by another user, without feedback: were the failed evaluation below a judgement, t3 and
            // t4 would make a same-request pair.
            Mining.StoredEvents.Turn(project, "t4", at.AddMinutes(3), prompt: "Boiling point of water at sea level?", response: "90 °C.", userId: "u3"),
        ];
        FeedbackEvent Judged(string turnId, double score, bool failed) =>
            Mining.StoredEvents.FeedbackOn(with, EventKinds.Evaluation, turnId, e =>
            {
                (e.EvaluationName, e.EvaluationScore, e.EvaluationFailed, e.EvaluationRating) = ("Correctness", score, failed, failed ? "unacceptable" : "exceptional");
                e.EvaluationReason = failed ? "wrong" : "right";
            }, at.AddMinutes(30));
        await new EventStore(store.Engine).AppendAsync(UserEvents(without, at));
        await new EventStore(store.Engine).AppendAsync(
            [.. UserEvents(with, at), Judged("t1", 1, true), Judged("t2", 5, false), Judged("t3", 1, true), Judged("t4", 1, true)]);

        await MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();

        var filter = new TrendFilter { Project = without, From = at.AddDays(-1), To = at.AddDays(1) };
        var trendsWithout = await Reports.TrendsAsync(filter, TrendInterval.Week, by: null);
        var trendsWith = await Reports.TrendsAsync(filter with { Project = with }, TrendInterval.Week, by: null);
        Assert.Empty(trendsWithout.Evaluations);
        var evaluated = Assert.Single(Assert.Single(trendsWith.Evaluations).Points);
        Assert.Equal((4L, 0.75), (evaluated.EvaluatedTurns, evaluated.FailedRate)); // the evaluations are there…
        Assert.Equal(trendsWithout.Series, trendsWith.Series, new TrendSeriesComparer()); // …and change no rate
        var pointWith = Assert.Single(Assert.Single(trendsWith.Series).Points);
        Assert.Equal((4L, 0.25, 0.25), (pointWith.Turns, pointWith.NegativeRate!.Value, pointWith.PositiveRate!.Value));

        Assert.Equal(await SignalsAsync(without), await SignalsAsync(with));
        var pairs = await PairsAsync(with);
        Assert.Equal(await PairsAsync(without), pairs);
        Assert.Equal([("edit", "t1", "Canberra.", "Sydney.")], pairs);
        var labels = await LabelsAsync(with);
        Assert.Equal(await LabelsAsync(without), labels);
        Assert.DoesNotContain(labels, l => l.TurnId == "t4");

        // The drill-down lists the user's feedback only, though the evaluations name the conversation.
        var reader = new ConversationReader(store.Engine);
        var feedbackWith = (await reader.GetAsync(with, "c1"))!.Turns.SelectMany(t => t.Feedback.Select(f => $"{t.TurnId} {f.Kind} {f.Text}")).ToList();
        Assert.Equal((await reader.GetAsync(without, "c1"))!.Turns.SelectMany(t => t.Feedback.Select(f => $"{t.TurnId} {f.Kind} {f.Text}")), feedbackWith);
        Assert.Equal(["t1 edit Canberra.", "t2 reaction 👎", "t3 reaction 👍"], feedbackWith);
    }

    [Fact]
    public async Task The_read_api_and_the_cli_table_show_evaluator_series_apart_and_labelled()
    {
        var (project, _) = await store.NewProjectAsync();
        var planted = new PlantedTurns(project).Plant(new Cohort("v1", Day1, 2));
        await planted.WriteAsync(store.Engine);
        await new EventStore(store.Engine).AppendAsync(
            [Evaluation(project, planted.Signals[0].TurnId, "Groundedness", 2, failed: true), Evaluation(project, planted.Signals[1].TurnId, "Groundedness", 4, failed: false)]);
        var readKey = await new ProjectKeys(store.Engine).CreateKeyAsync(project, KeyKind.Read);
        await using var host = await store.StartHostAsync();
        using var http = RawEvents.Client(host, readKey);

        var trends = (await http.GetFromJsonAsync<JsonObject>("v1/trends?from=2026-11-02T00:00:00Z&to=2026-11-09T00:00:00Z&by=model_version"))!;

        var series = Assert.Single(trends["evaluations"]!.AsArray())!;
        Assert.Equal(("v1", "Groundedness", "evaluator"), ((string?)series["key"], (string?)series["evaluation_name"], (string?)series["source"]));
        var point = Assert.Single(series["points"]!.AsArray())!;
        Assert.Equal("2026-11-02T00:00:00Z", (string?)point["time"]);
        Assert.Equal((2L, 2L, 3.0, 2L, 0.5), ((long)point["evaluated_turns"]!, (long)point["scored_turns"]!, (double)point["mean_score"]!, (long)point["judged_turns"]!, (double)point["failed_rate"]!));
        Assert.Equal(0.0, (double)Assert.Single(trends["series"]!.AsArray())!["points"]![0]!["negative_rate"]!);

        var table = TrendTables.Table(await Reports.TrendsAsync(Week(project), TrendInterval.Day, TrendField.ModelVersion));
        Assert.Contains("Evaluator results (source: evaluator, not user feedback", table, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^v1\s+2026-11-02\s+Groundedness\s+2\s+3\.00\s+50\.0%$", table);
    }

    private async Task<List<string>> SignalsAsync(string project) =>
        (await store.Engine.QueryAsync<TurnSignals>("SELECT * FROM turn_signals FINAL WHERE project = {project:String} ORDER BY turn_id", new { project }))
            .Select(s => $"{s.TurnId} {s.ReactionPolarity} {s.ThumbsUp} {s.ThumbsDown} {s.RatingNormalized} {s.Edited} {s.Regenerated} {s.Chosen} {s.Copied} {s.FollowUpLabel} {s.EventCount}")
            .ToList();

    private async Task<List<(string Source, string TurnId, string Chosen, string Rejected)>> PairsAsync(string project) =>
        (await store.Engine.QueryAsync<PreferencePair>("SELECT * FROM pairs FINAL WHERE project = {project:String} ORDER BY source, turn_id", new { project }))
            .Select(p => (p.Source, p.TurnId, p.Chosen, p.Rejected))
            .ToList();

    private async Task<List<(string TurnId, sbyte Label, string Source)>> LabelsAsync(string project) =>
        (await store.Engine.QueryAsync<TurnLabel>("SELECT * FROM turn_labels FINAL WHERE project = {project:String} ORDER BY turn_id", new { project }))
            .Select(l => (l.TurnId, l.Label, l.Source))
            .ToList();

    /// <summary>Series equal in every count and rate (records compare lists and dictionaries by reference).</summary>
    private sealed class TrendSeriesComparer : IEqualityComparer<TrendSeries>
    {
        public bool Equals(TrendSeries? x, TrendSeries? y) =>
            x!.Key == y!.Key && x.Points.Select(Flat).SequenceEqual(y.Points.Select(Flat));

        public int GetHashCode(TrendSeries obj) => obj.Key.GetHashCode(StringComparison.Ordinal);

        private static string Flat(TrendPoint p) =>
            $"{p.Time:O} {p.Turns} {p.FeedbackTurns} {p.PositiveRate} {p.NegativeRate} {p.EditRate} {p.RegenerateRate} {p.ChoiceRate} {p.Pairs} "
            + string.Join(",", p.FollowUpRates.Select(kv => $"{kv.Key}={kv.Value}"));
    }
}
