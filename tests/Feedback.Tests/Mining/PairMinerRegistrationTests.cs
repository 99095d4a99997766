using System.Text.Json;
using Feedback.Analytics;
using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Feedback.Tests.Mining;

/// <summary>A pair source is a type: one class implementing <see cref="IPairMiner"/> and one registration.</summary>
[Collection(SharedStore.Name)]
public sealed class PairMinerRegistrationTests(EmbeddedStore store)
{
    [Fact]
    public async Task A_registered_sixth_miner_runs_after_the_shipped_ones_and_its_count_is_in_the_result()
    {
        var (project, _) = await store.NewProjectAsync();
        await new EventStore(store.Engine).AppendAsync([StoredEvents.Turn(project, "t1")]); // something new: the run is not skipped
        var job = new ServiceCollection()
            .AddFeedbackAnalytics(store.Engine)
            .AddSingleton<IPairMiner, SixthMiner>()
            .BuildServiceProvider()
            .GetRequiredService<MiningJob>();
        var stages = new List<string>();

        var result = await job.RunAsync((stage, _) => stages.Add(stage));

        Assert.Equal(
            [PairSources.Edit, PairSources.Choice, PairSources.Regenerate, PairSources.FollowUp, PairSources.SameRequest, SixthMiner.Name],
            result.Pairs.Keys);
        Assert.Equal(SixthMiner.Mined, result.Pairs[SixthMiner.Name]);
        Assert.Equal(result.Pairs.Values.Sum(), result.TotalPairs);
        Assert.Equal($"{SixthMiner.Name} pairs", stages[^1]);
        // The counts per source reach the CLI through POST /v1/mining/run as JSON.
        var read = JsonSerializer.Deserialize<MiningResult>(JsonSerializer.Serialize(result, FeedbackJson.Options), FeedbackJson.Options)!;
        Assert.Equal(result.Pairs, read.Pairs);
        Assert.Equal(result.TotalPairs, read.TotalPairs);
    }

    [Fact]
    public async Task A_skipped_run_reports_every_source_with_nothing_new()
    {
        var job = MiningJob.Over(store.Engine, TimeProvider.System);
        await job.RunAsync();

        var again = await job.RunAsync();

        Assert.True(again.NothingNew);
        Assert.Equal([PairSources.Edit, PairSources.Choice, PairSources.Regenerate, PairSources.FollowUp, PairSources.SameRequest], again.Pairs.Keys);
        Assert.All(again.Pairs.Values, count => Assert.Equal(0, count));
    }

    private sealed class SixthMiner : IPairMiner
    {
        public const string Name = "sixth";
        public const int Mined = 7;

        public string Source => Name;

        public Task<int> MineAsync(MiningShards shards, CancellationToken cancellationToken = default) =>
            Task.FromResult(shards.Equals(MiningShards.All) ? Mined : 0);
    }
}
