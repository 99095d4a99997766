using System.Text.Json.Nodes;
using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Mining.Predictor;
using Feedback.Analytics.Model;
using Feedback.Events;
using static Feedback.Tests.Export.ExportPairs;

namespace Feedback.Tests.Export;

/// <summary>Noise and bias controls on the real embedded store, each test in a fresh project.</summary>
[Collection(SharedStore.Name)]
public sealed class ExportControlsTests(EmbeddedStore store)
{
    [Fact]
    public async Task A_user_contributes_at_most_the_cap_the_first_pairs_in_export_order()
    {
        var (project, _) = await store.NewProjectAsync();
        var a = Enumerable.Range(0, 3).Select(i => Pair(project, T0.AddMinutes(i), chosen: "a" + i) with { UserId = "a" }).ToArray();
        await InsertAsync(store.Engine, [.. a, Pair(project, T0.AddMinutes(5)) with { UserId = "b" }]);

        var capped = await DpoAsync(new ExportFilter { Project = project, MaxPerUser = 2 });
        var uncapped = await DpoAsync(new ExportFilter { Project = project, MaxPerUser = 0 });

        Assert.Equal(["a0", "a1", "Canberra."], capped.Select(l => (string)l["chosen"]!));
        Assert.Equal(4, uncapped.Count);
        Assert.Equal(1000, new ExportFilter { Project = project }.MaxPerUser); // the documented default
    }

    [Fact]
    public async Task Duplicate_pairs_after_normalisation_are_removed_when_asked()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0), Pair(project, T0.AddMinutes(1), chosen: "  canberra. "),
            Pair(project, T0.AddMinutes(2), chosen: "Canberra, obviously."));

        var deduplicated = await DpoAsync(new ExportFilter { Project = project, Deduplicate = true });

        Assert.Equal(["Canberra.", "Canberra, obviously."], deduplicated.Select(l => (string)l["chosen"]!));
        Assert.Equal(3, (await DpoAsync(new ExportFilter { Project = project })).Count);
    }

    [Fact]
    public async Task The_bias_report_counts_longer_chosen_answers_per_source_and_the_balanced_export_evens_them()
    {
        var (project, _) = await store.NewProjectAsync();
        // Rejected is "Sydney." (7 characters): three chosen longer, one shorter, one the same length.
        await InsertAsync(store.Engine,
            Pair(project, T0, chosen: "Canberra, the capital."), Pair(project, T0.AddMinutes(1), chosen: "Canberra is it."),
            Pair(project, T0.AddMinutes(2), chosen: "It is Canberra.", source: "choice"), Pair(project, T0.AddMinutes(3), chosen: "CBR."),
            Pair(project, T0.AddMinutes(4), chosen: "Perth!!"));

        var report = await new BiasReport(store.Engine).BuildAsync(project);
        var balanced = await DpoAsync(new ExportFilter { Project = project, LengthBalanced = true });

        var edit = report.Sources.Single(s => s.Source == "edit");
        Assert.Equal((4L, 2L, 1L), (edit.Pairs, edit.ChosenLonger, edit.ChosenShorter));
        Assert.Equal((1L, 1L), (report.Sources.Single(s => s.Source == "choice").Pairs, report.Sources.Single(s => s.Source == "choice").ChosenLonger));
        Assert.Contains("| edit | 4 | 2 (50.0 %) | 1 (25.0 %) | 1 (25.0 %) |", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal(["Canberra, the capital.", "CBR.", "Perth!!"], balanced.Select(l => (string)l["chosen"]!));
    }

    [Fact]
    public async Task Model_versions_can_be_capped_to_balance_them_and_are_reported()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0), Pair(project, T0.AddMinutes(1)), Pair(project, T0.AddMinutes(2)),
            Pair(project, T0.AddMinutes(3), modelVersion: "v2"));

        var stratified = await DpoAsync(new ExportFilter { Project = project, MaxPerModelVersion = 1 });
        var report = await new BiasReport(store.Engine).BuildAsync(project);

        Assert.Equal(["v1", "v2"], stratified.Select(l => (string)l["meta"]!["model_version"]!));
        Assert.Equal([("v1", 3L), ("v2", 1L)], report.ModelVersions.Select(v => (v.ModelVersion, v.Pairs)));
    }

    [Fact]
    public async Task An_always_negative_user_is_flagged_and_can_be_left_out()
    {
        var (project, _) = await store.NewProjectAsync();
        var labels = Enumerable.Range(0, 10).Select(i => Label(project, "grump", i, -1))
            .Concat(Enumerable.Range(0, 3).Select(i => Label(project, "fair", i, (sbyte)(i == 0 ? -1 : 1)))).ToArray();
        await store.Engine.InsertAsync("turn_labels", labels);
        await InsertAsync(store.Engine, Pair(project, T0) with { UserId = "grump" }, Pair(project, T0.AddMinutes(1)) with { UserId = "fair" });

        var flagged = await new OutlierUsers(store.Engine).ListAsync(project);
        var kto = await ExportAsync(KtoFormat.Name, new ExportFilter { Project = project, ExcludeOutlierUsers = true });
        var dpo = await DpoAsync(new ExportFilter { Project = project, ExcludeOutlierUsers = true });

        Assert.Equal([("grump", 10L, "always_negative")], flagged.Select(u => (u.UserId, u.Labels, u.Reason)));
        Assert.Equal(3, kto.Count);
        Assert.All(kto, l => Assert.Equal("fair", (string?)l["meta"]!["user_id"]));
        Assert.Equal(13, (await ExportAsync(KtoFormat.Name, new ExportFilter { Project = project })).Count);
        Assert.Equal("fair", (string?)Assert.Single(dpo)["meta"]!["user_id"]);
    }

    [Fact]
    public async Task Min_predicted_positive_drops_desirable_labels_the_predictor_doubts_and_only_for_kto()
    {
        var (project, _) = await store.NewProjectAsync();
        await store.Engine.InsertAsync("turn_labels", [Label(project, "u", 0, 1), Label(project, "u", 1, 1), Label(project, "u", 2, -1), Label(project, "u", 3, 1)]);
        await store.Engine.InsertAsync("turn_predictions", new[] { (0, 0.2f), (1, 0.9f), (2, 0.1f) }
            .Select(p => new TurnPrediction(project, "t" + p.Item1, p.Item2, T0, T0)).ToList());

        var kept = await ExportAsync(KtoFormat.Name, new ExportFilter { Project = project, MinPredictedPositive = 0.5f });

        Assert.Equal(["t1", "t2", "t3"], kept.Select(l => (string)l["meta"]!["turn_id"]!).Order()); // t0 doubted; t2 negative; t3 not scored
        Assert.NotNull(ExportFormats.Shipped.Refusal(DpoFormat.Name, new ExportFilter { Project = project, MinPredictedPositive = 0.5f }));
        Assert.NotNull(ExportFormats.Shipped.Refusal(KtoFormat.Name, new ExportFilter { Project = project, LengthBalanced = true }));
    }

    private static TurnLabel Label(string project, string user, int i, sbyte label) =>
        new(project, user == "u" ? "t" + i : $"{user}-{i}", Guid.NewGuid(), label, 0.8f, LabelSources.Reaction, ["thumb_up"],
            [new RequestMessage("user", "q" + i)], "a" + i, [Guid.NewGuid()], "m", "v1", user, T0, T0.AddMinutes(i), T0);

    private Task<List<JsonNode>> DpoAsync(ExportFilter filter) => ExportAsync(DpoFormat.Name, filter);

    private async Task<List<JsonNode>> ExportAsync(string format, ExportFilter filter) =>
        Lines(await ExportTextAsync(store.Engine, format, filter)).Select(l => JsonNode.Parse(l)!).ToList();
}
