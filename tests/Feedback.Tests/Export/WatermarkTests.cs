using System.Text.Json.Nodes;
using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using static Feedback.Tests.Export.ExportPairs;

namespace Feedback.Tests.Export;

[Collection(SharedStore.Name)]
public sealed class WatermarkTests(EmbeddedStore store)
{
    private ExportWatermarks Watermarks => new(store.Engine, TimeProvider.System);

    // What `feedback export --watermark NAME --to CUTOFF` does: plan, write the file completely, then advance.
    private async Task<string[]> RunAsync(string project, string name, DateTimeOffset cutOff, string path, bool advance = true)
    {
        var export = new PairExport(store.Engine);
        var (filter, next) = await Watermarks.PlanAsync(export, DpoFormat.Name, new ExportFilter { Project = project, To = cutOff }, name);
        await ExportFile.WriteAsync(path, file => export.WriteAsync(DpoFormat.Name, filter, file), async () =>
        {
            if (advance && next is not null) await Watermarks.AdvanceAsync(project, name, next);
        });
        return File.ReadAllLines(path).Select(l => (string)JsonNode.Parse(l)!["meta"]!["pair_id"]!).ToArray();
    }

    private string PathFor(string project, string suffix) => Path.Combine(store.DataDirectory, "exports", $"{project}-{suffix}.jsonl");

    [Fact]
    public async Task A_second_run_gets_only_the_pairs_created_since_the_first()
    {
        var (project, _) = await store.NewProjectAsync();
        var early = new[] { Pair(project, T0), Pair(project, T0.AddHours(1)) };
        await InsertAsync(store.Engine, early);

        Assert.Equal(early.Select(p => p.PairId.ToString()), await RunAsync(project, "nightly", T0.AddDays(1), PathFor(project, "1")));

        var late = Pair(project, T0.AddDays(1).AddHours(1));
        await InsertAsync(store.Engine, late);
        Assert.Equal([late.PairId.ToString()], await RunAsync(project, "nightly", T0.AddDays(2), PathFor(project, "2")));
        Assert.Empty(await RunAsync(project, "nightly", T0.AddDays(3), PathFor(project, "3")));
        // Another name has its own position.
        Assert.Equal(3, (await RunAsync(project, "other", T0.AddDays(3), PathFor(project, "4"))).Length);
    }

    [Fact]
    public async Task Pairs_at_or_after_the_cut_off_wait_for_the_next_run()
    {
        var (project, _) = await store.NewProjectAsync();
        var atCutOff = Pair(project, T0.AddDays(1));
        await InsertAsync(store.Engine, Pair(project, T0), atCutOff);

        Assert.Single(await RunAsync(project, "nightly", T0.AddDays(1), PathFor(project, "1")));
        Assert.Equal([atCutOff.PairId.ToString()], await RunAsync(project, "nightly", T0.AddDays(2), PathFor(project, "2")));
    }

    [Fact]
    public async Task Re_running_with_the_same_position_and_cut_off_gives_the_same_file()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0), Pair(project, T0.AddHours(1)));
        await RunAsync(project, "nightly", T0.AddHours(2), PathFor(project, "first"), advance: false);

        // Mined meanwhile: created after the cut-off.
        await InsertAsync(store.Engine, Pair(project, T0.AddHours(3)));
        await RunAsync(project, "nightly", T0.AddHours(2), PathFor(project, "again"), advance: false);

        Assert.Equal(await File.ReadAllBytesAsync(PathFor(project, "first")), await File.ReadAllBytesAsync(PathFor(project, "again")));
    }

    [Fact]
    public async Task A_failed_run_leaves_no_file_and_does_not_advance()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(store.Engine, Pair(project, T0));
        var export = new PairExport(store.Engine);
        var (filter, next) = await Watermarks.PlanAsync(export, DpoFormat.Name, new ExportFilter { Project = project, To = T0.AddDays(1) }, "nightly");
        var path = PathFor(project, "failed");

        await Assert.ThrowsAsync<IOException>(() => ExportFile.WriteAsync<int>(path, async file =>
        {
            await export.WriteAsync(DpoFormat.Name, filter, file);
            throw new IOException("disk full");
        }, () => Watermarks.AdvanceAsync(project, "nightly", next!)));

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
        Assert.Equal(ExportPosition.Start, await Watermarks.GetAsync(project, "nightly"));
        Assert.Single(await RunAsync(project, "nightly", T0.AddDays(1), PathFor(project, "retry")));
    }

    [Fact]
    public void A_position_round_trips_through_text()
    {
        var position = new ExportPosition(T0.AddMilliseconds(123), Guid.CreateVersion7());
        Assert.Equal(position, ExportPosition.Parse(position.ToString()));
    }
}
