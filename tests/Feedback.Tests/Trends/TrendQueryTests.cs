using Feedback.Analytics.Mining;
using Feedback.Analytics.Trends;
using Feedback.Events;

namespace Feedback.Tests.Trends;

/// <summary>Trend numbers over planted turns in the real embedded store: every rate is known, so every one must match.</summary>
[Collection(SharedStore.Name)]
public sealed class TrendQueryTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero); // a Monday
    private static readonly DateTimeOffset Day2 = Day1.AddDays(1);

    private TrendReports Reports => new(store.Engine);

    private static TrendFilter Week(string project) => new() { Project = project, From = Day1, To = Day1.AddDays(7) };

    [Fact]
    public async Task Daily_points_per_model_version_match_the_planted_counts()
    {
        var (project, _) = await store.NewProjectAsync();
        var v1 = new Cohort("v1", Day1, 400) { Positive = 40, Negative = 60, Edited = 20, Regenerated = 10, Chosen = 8, NoneFollowUps = 12, Pairs = 5 };
        var v1Next = new Cohort("v1", Day2, 300) { Positive = 30, Negative = 6, Edited = 4, Regenerated = 3, Chosen = 0, Pairs = 4 };
        var v2 = new Cohort("v2", Day2, 500) { Positive = 100, Negative = 20, Edited = 0, Regenerated = 5, Chosen = 25, NoneFollowUps = 50 };
        await new PlantedTurns(project).Plant(v1).Plant(v1Next).Plant(v2).WriteAsync(store.Engine);

        var report = await Reports.TrendsAsync(Week(project), TrendInterval.Day, TrendField.Parse("model_version"));

        Assert.Equal("model_version", report.By);
        Assert.Equal(["v1", "v2"], report.Series.Select(s => s.Key));
        var series1 = report.Series[0].Points;
        Assert.Equal([Day1.UtcDateTime, Day2.UtcDateTime], series1.Select(p => p.Time));
        AssertPoint(v1, series1[0]);
        AssertPoint(v1Next, series1[1]);
        AssertPoint(v2, Assert.Single(report.Series[1].Points));
    }

    [Fact]
    public async Task Without_by_there_is_one_series_and_a_week_is_one_bucket()
    {
        var (project, _) = await store.NewProjectAsync();
        await new PlantedTurns(project)
            .Plant(new Cohort("v1", Day1, 100) { Positive = 10, Negative = 20 })
            .Plant(new Cohort("v2", Day2, 100) { Positive = 30, Negative = 0 })
            .WriteAsync(store.Engine);

        var report = await Reports.TrendsAsync(Week(project), TrendInterval.Week, by: null);

        var series = Assert.Single(report.Series);
        Assert.Equal("", series.Key);
        var point = Assert.Single(series.Points);
        Assert.Equal(Day1.UtcDateTime, point.Time);
        Assert.Equal(200, point.Turns);
        Assert.Equal(40 / 200.0, point.PositiveRate!.Value, 12);
        Assert.Equal(20 / 200.0, point.NegativeRate!.Value, 12);
        Assert.Null(point.MeanEditDistance);
    }

    [Fact]
    public async Task Hourly_buckets_and_the_range_is_from_inclusive_to_exclusive()
    {
        var (project, _) = await store.NewProjectAsync();
        var planted = new PlantedTurns(project).Plant(new Cohort("v1", Day1, 300) { Positive = 30 });
        await planted.WriteAsync(store.Engine);
        var from = Day1.AddHours(5);
        var to = Day1.AddHours(9);

        var report = await Reports.TrendsAsync(Week(project) with { From = from, To = to }, TrendInterval.Hour, by: null);

        var expected = planted.Signals.Where(s => s.TurnTimestamp >= from && s.TurnTimestamp < to)
            .GroupBy(s => s.TurnTimestamp.UtcDateTime.Date.AddHours(s.TurnTimestamp.Hour))
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, (long)g.Count()))
            .ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Assert.Single(report.Series).Points.Select(p => (p.Time, p.Turns)));
    }

    [Fact]
    public async Task Breakdowns_by_template_stage_and_metadata_and_filters_on_them()
    {
        var (project, _) = await store.NewProjectAsync();
        await new PlantedTurns(project)
            .Plant(new Cohort("v1", Day1, 100) { Positive = 10, PromptTemplate = "short", Stage = "draft", Metadata = new Dictionary<string, string> { ["locale"] = "de" } })
            .Plant(new Cohort("v1", Day1, 50) { Positive = 25, PromptTemplate = "long", Stage = "final", Metadata = new Dictionary<string, string> { ["locale"] = "en", ["plan"] = "pro" } })
            .WriteAsync(store.Engine);

        async Task<Dictionary<string, long>> TurnsBy(string by, TrendFilter? filter = null) =>
            (await Reports.TrendsAsync(filter ?? Week(project), TrendInterval.Week, TrendField.Parse(by)))
                .Series.ToDictionary(s => s.Key, s => s.Points.Sum(p => p.Turns));

        Assert.Equal(new Dictionary<string, long> { ["short"] = 100, ["long"] = 50 }, await TurnsBy("prompt_template"));
        Assert.Equal(new Dictionary<string, long> { ["draft"] = 100, ["final"] = 50 }, await TurnsBy("stage"));
        Assert.Equal(new Dictionary<string, long> { ["de"] = 100, ["en"] = 50 }, await TurnsBy("metadata.locale"));
        Assert.Equal(new Dictionary<string, long> { [""] = 100, ["pro"] = 50 }, await TurnsBy("metadata.plan"));
        Assert.Equal(new Dictionary<string, long> { ["v1"] = 50 }, await TurnsBy("model_version", Week(project) with { Stages = ["final"] }));
        Assert.Equal(new Dictionary<string, long> { ["v1"] = 100 },
            await TurnsBy("model_version", Week(project) with { Metadata = new Dictionary<string, string> { ["locale"] = "de" } }));
        Assert.Empty(await TurnsBy("model_version", Week(project) with { PromptTemplates = ["long"], Metadata = new Dictionary<string, string> { ["locale"] = "de" } }));
    }

    [Fact]
    public async Task A_re_derived_turn_counts_once_with_its_newest_signals()
    {
        var (project, _) = await store.NewProjectAsync();
        var planted = new PlantedTurns(project).Plant(new Cohort("v1", Day1, 50) { Negative = 50 });
        await planted.WriteAsync(store.Engine);
        // Every turn derived again later: the user changed their mind to a thumb up.
        var rederived = planted.Signals.Select(s => s with { ThumbsDown = 0, ThumbsUp = 1, ReactionPolarity = 1, FollowUpLabel = "", DerivedAt = s.DerivedAt.AddHours(1) }).ToList();
        await store.Engine.InsertAsync("turn_signals", rederived);

        var point = Assert.Single(Assert.Single((await Reports.TrendsAsync(Week(project), TrendInterval.Day, by: null)).Series).Points);

        Assert.Equal(50, point.Turns);
        Assert.Equal(1.0, point.PositiveRate);
        Assert.Equal(0.0, point.NegativeRate);
    }

    [Fact]
    public async Task Turn_signals_carry_the_turns_template_stage_and_metadata()
    {
        var (project, _) = await store.NewProjectAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        FeedbackEvent Event(string kind, string turnId, Action<FeedbackEvent> fill) => Mining.StoredEvents.FeedbackOn(project, kind, turnId, fill, at);
        await store.Engine.InsertAsync("events", new[]
        {
            Event(EventKinds.Turn, "t1", e => (e.Request, e.Response, e.Model, e.ModelVersion, e.PromptTemplate, e.Stage, e.Metadata) =
                ([new RequestMessage("user", "hi")], "hello", "m", "v3", "greeting", "final", new Dictionary<string, string> { ["locale"] = "fr" })),
            Event(EventKinds.Reaction, "t1", e => e.Thumb = Thumbs.Up),
        });
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();

        var filter = new TrendFilter { Project = project, From = at.AddHours(-1), To = at.AddHours(1), Metadata = new Dictionary<string, string> { ["locale"] = "fr" } };
        var report = await Reports.TrendsAsync(filter with { PromptTemplates = ["greeting"], Stages = ["final"] }, TrendInterval.Hour, TrendField.Parse("metadata.locale"));

        var series = Assert.Single(report.Series);
        Assert.Equal("fr", series.Key);
        var point = Assert.Single(series.Points);
        Assert.Equal(1, point.Turns);
        Assert.Equal(1.0, point.PositiveRate);
    }

    [Fact]
    public async Task Rows_derived_before_migration_13_get_their_turns_breakdowns_from_migration_14()
    {
        var (project, _) = await store.NewProjectAsync();
        var planted = new PlantedTurns(project).Plant(new Cohort("v1", Day1, 2) { PromptTemplate = "", Stage = "", Metadata = new Dictionary<string, string>() });
        await planted.WriteAsync(store.Engine);
        var turn = planted.Signals[0];
        await store.Engine.InsertAsync("events", new[]
        {
            new FeedbackEvent
            {
                EventId = Guid.CreateVersion7(), Kind = EventKinds.Turn, Project = project, Timestamp = turn.TurnTimestamp, ReceivedAt = turn.TurnTimestamp,
                UserId = turn.UserId, SessionId = "s", ConversationId = turn.ConversationId, TurnId = turn.TurnId, Response = "r", Model = "m", ModelVersion = "v1",
                PromptTemplate = "legacy", Stage = "final", Metadata = new Dictionary<string, string> { ["locale"] = "it" },
            },
        });

        foreach (var statement in Feedback.Analytics.Schema.Migrator.All.Single(m => m.Version == 14).Statements)
            await store.Engine.ExecuteAsync(statement);

        var report = await Reports.TrendsAsync(Week(project), TrendInterval.Week, TrendField.Parse("prompt_template"));
        Assert.Equal(new Dictionary<string, long> { [""] = 1, ["legacy"] = 1 }, report.Series.ToDictionary(s => s.Key, s => s.Points.Sum(p => p.Turns)));
        var italian = await Reports.TrendsAsync(Week(project) with { Stages = ["final"], Metadata = new Dictionary<string, string> { ["locale"] = "it" } }, TrendInterval.Week, null);
        Assert.Equal(1, Assert.Single(Assert.Single(italian.Series).Points).Turns);
    }

    private static void AssertPoint(Cohort c, TrendPoint p)
    {
        double n = c.Turns;
        Assert.Equal(c.Turns, p.Turns);
        Assert.Equal(c.Feedback, p.FeedbackTurns);
        Assert.Equal(c.Feedback / n, p.FeedbackRate!.Value, 12);
        Assert.Equal(c.Positive / n, p.PositiveRate!.Value, 12);
        Assert.Equal(c.Negative / n, p.NegativeRate!.Value, 12);
        Assert.Equal(c.Positive / 2 / n, p.FollowUpRates["positive"]!.Value, 12);
        Assert.Equal(c.Negative / 2 / n, p.FollowUpRates["correction"]!.Value, 12);
        Assert.Equal(c.NoneFollowUps / n, p.FollowUpRates["none"]!.Value, 12);
        Assert.Equal(0.0, p.FollowUpRates["complaint"]!.Value);
        Assert.Equal(c.Edited / n, p.EditRate!.Value, 12);
        if (c.Edited > 0) Assert.Equal(c.Edited % 2 == 0 ? 0.4 : (0.4 * (c.Edited - 1) + 0.2) / c.Edited, p.MeanEditDistance!.Value, 12);
        else Assert.Null(p.MeanEditDistance);
        Assert.Equal(c.Regenerated / n, p.RegenerateRate!.Value, 12);
        Assert.Equal(c.Chosen / n, p.ChoiceRate!.Value, 12);
        Assert.Equal(c.Pairs, p.Pairs);
    }
}
