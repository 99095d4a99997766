using Feedback.Analytics.Trends;

namespace Feedback.Tests.Trends;

/// <summary>Version comparison: planted differences are found, planted equality is not, and the interval is Newcombe's.</summary>
[Collection(SharedStore.Name)]
public sealed class ComparisonTests(EmbeddedStore store)
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private TrendReports Reports => new(store.Engine);

    private static TrendFilter Week(string project) => new() { Project = project, From = Day1, To = Day1.AddDays(7) };

    [Fact]
    public async Task A_planted_difference_is_significant_and_no_difference_is_not()
    {
        var (project, _) = await store.NewProjectAsync();
        await new PlantedTurns(project, seed: 11)
            .Plant(new Cohort("v1", Day1, 2000) { Positive = 200, Negative = 180 })
            .Plant(new Cohort("v2", Day1.AddDays(1), 2000) { Positive = 300, Negative = 180 }) // positive +5 points, negative the same
            .Plant(new Cohort("v3", Day1.AddDays(2), 2000) { Positive = 200, Negative = 180 }) // same as v1
            .WriteAsync(store.Engine);

        var better = await Reports.CompareAsync(Week(project), TrendField.ModelVersion, "v1", "v2", 0.95);

        Assert.Equal((2000L, 200L), (better.A.Turns, better.A.PositiveTurns));
        Assert.Equal((2000L, 300L), (better.B.Turns, better.B.PositiveTurns));
        Assert.Equal(0.05, better.PositiveRateDifference.Estimate!.Value, 12);
        Assert.True(better.PositiveRateDifference.Significant);
        Assert.InRange(better.PositiveRateDifference.Low!.Value, 0.0001, 0.05);
        Assert.InRange(better.PositiveRateDifference.High!.Value, 0.05, 0.1);
        Assert.False(better.NegativeRateDifference.Significant);
        Assert.Equal(0.0, better.NegativeRateDifference.Estimate!.Value, 12);

        var same = await Reports.CompareAsync(Week(project), TrendField.ModelVersion, "v1", "v3", 0.95);

        Assert.False(same.PositiveRateDifference.Significant);
        Assert.False(same.NegativeRateDifference.Significant);
        Assert.True(same.PositiveRateDifference.Low < 0 && same.PositiveRateDifference.High > 0);
    }

    [Fact]
    public async Task A_value_without_turns_has_null_rates_and_nothing_is_significant()
    {
        var (project, _) = await store.NewProjectAsync();
        await new PlantedTurns(project).Plant(new Cohort("v1", Day1, 100) { Positive = 90 }).WriteAsync(store.Engine);

        var report = await Reports.CompareAsync(Week(project), TrendField.ModelVersion, "v1", "nope", 0.95);

        Assert.Equal(0, report.B.Turns);
        Assert.Null(report.B.PositiveRate);
        Assert.Equal(new RateDifference(null, null, null, false), report.PositiveRateDifference);
    }

    [Fact]
    public async Task Any_field_can_be_compared_within_filters()
    {
        var (project, _) = await store.NewProjectAsync();
        await new PlantedTurns(project)
            .Plant(new Cohort("v1", Day1, 100) { Negative = 10, PromptTemplate = "short" })
            .Plant(new Cohort("v1", Day1, 100) { Negative = 40, PromptTemplate = "long" })
            .Plant(new Cohort("v2", Day1, 100) { Negative = 90, PromptTemplate = "long" })
            .WriteAsync(store.Engine);

        var report = await Reports.CompareAsync(Week(project) with { ModelVersions = ["v1"] }, TrendField.Parse("prompt_template")!, "short", "long", 0.99);

        Assert.Equal("prompt_template", report.Field);
        Assert.Equal((100L, 100L), (report.A.Turns, report.B.Turns));
        Assert.Equal(0.3, report.NegativeRateDifference.Estimate!.Value, 12);
        Assert.True(report.NegativeRateDifference.Significant);
    }

    [Fact]
    public void The_interval_is_newcombes_hybrid_score_interval()
    {
        // Newcombe (1998), Statistics in Medicine 17:873, table II example (56/70 vs 48/80), method 10: 0.0524 to 0.3339.
        var d = ProportionDifference.Interval(48, 80, 56, 70, 0.95);

        Assert.Equal(0.2, d.Estimate!.Value, 12);
        Assert.Equal(0.0524, d.Low!.Value, 4);
        Assert.Equal(0.3339, d.High!.Value, 4);
        Assert.True(d.Significant);
        Assert.Equal(1.959964, ProportionDifference.NormalQuantile(0.975), 6);
        Assert.Equal(-2.326348, ProportionDifference.NormalQuantile(0.01), 6);
    }
}
