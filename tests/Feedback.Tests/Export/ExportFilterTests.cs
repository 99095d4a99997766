using System.Text.Json.Nodes;
using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using static Feedback.Tests.Export.ExportPairs;

namespace Feedback.Tests.Export;

[Collection(SharedStore.Name)]
public sealed class ExportFilterTests(EmbeddedStore store)
{
    private async Task<(string Project, string[] Ids)> SeedAsync()
    {
        var (project, _) = await store.NewProjectAsync();
        var pairs = new[]
        {
            Pair(project, T0, model: "a", modelVersion: "1", source: "edit", confidence: 0.9f),
            Pair(project, T0.AddHours(1), model: "b", modelVersion: "2", source: "choice", confidence: 0.6f),
            Pair(project, T0.AddHours(2), model: "a", modelVersion: "2", source: "regenerate", confidence: 0.3f),
        };
        await InsertAsync(store.Engine, pairs);
        return (project, pairs.Select(p => p.PairId.ToString()).ToArray());
    }

    private async Task<string[]> IdsAsync(ExportFilter filter) =>
        Lines(await ExportTextAsync(store.Engine, DpoFormat.Name, filter)).Select(l => (string)JsonNode.Parse(l)!["meta"]!["pair_id"]!).ToArray();

    [Fact]
    public async Task Time_range_is_from_inclusive_to_exclusive()
    {
        var (project, ids) = await SeedAsync();
        Assert.Equal(ids[1..2], await IdsAsync(new ExportFilter { Project = project, From = T0.AddHours(1), To = T0.AddHours(2) }));
        Assert.Equal(ids[1..], await IdsAsync(new ExportFilter { Project = project, From = T0.AddMinutes(1) }));
        Assert.Equal(ids[..1], await IdsAsync(new ExportFilter { Project = project, To = T0.AddMinutes(1) }));
    }

    [Fact]
    public async Task Model_and_model_version_filter()
    {
        var (project, ids) = await SeedAsync();
        Assert.Equal([ids[0], ids[2]], await IdsAsync(new ExportFilter { Project = project, Models = ["a"] }));
        Assert.Equal(ids[1..], await IdsAsync(new ExportFilter { Project = project, ModelVersions = ["2"] }));
        Assert.Equal([ids[2]], await IdsAsync(new ExportFilter { Project = project, Models = ["a"], ModelVersions = ["2"] }));
    }

    [Fact]
    public async Task Sources_filter_takes_one_or_more()
    {
        var (project, ids) = await SeedAsync();
        Assert.Equal([ids[1]], await IdsAsync(new ExportFilter { Project = project, Sources = ["choice"] }));
        Assert.Equal([ids[0], ids[2]], await IdsAsync(new ExportFilter { Project = project, Sources = ["edit", "regenerate"] }));
    }

    [Fact]
    public async Task Minimum_confidence_includes_the_bound()
    {
        var (project, ids) = await SeedAsync();
        Assert.Equal(ids[..2], await IdsAsync(new ExportFilter { Project = project, MinConfidence = 0.6f }));
        Assert.Equal(ids[..1], await IdsAsync(new ExportFilter { Project = project, MinConfidence = 0.9f }));
    }

    [Fact]
    public async Task An_export_larger_than_a_page_comes_out_whole_and_in_order()
    {
        var (project, _) = await store.NewProjectAsync();
        var pairs = Enumerable.Range(0, PairReader.PageSize + 5).Select(i => Pair(project, T0.AddSeconds(i / 3))).ToArray();
        await InsertAsync(store.Engine, pairs);

        var exported = new List<string>();
        await foreach (var p in new PairReader(store.Engine).ReadAsync(new ExportFilter { Project = project }))
            exported.Add(p.PairId.ToString());

        Assert.Equal(pairs.Length, exported.Distinct().Count());
    }
}
