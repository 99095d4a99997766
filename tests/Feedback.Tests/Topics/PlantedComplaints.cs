using Feedback.Analytics.Mining;
using Feedback.Simulation;

namespace Feedback.Tests.Topics;

/// <summary>Puts <see cref="ComplaintTraffic"/> into a project of the shared store and derives the turns' signals.</summary>
public static class PlantedComplaints
{
    /// <summary>Turns are spread over the two weeks after this.</summary>
    public static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddDays(-20);

    /// <summary>Returns the planted theme of each negative turn.</summary>
    public static async Task<Dictionary<string, string>> PlantAsync(EmbeddedStore store, string project, int turns, int seed, string turnPrefix = "t")
    {
        var (events, themes) = ComplaintTraffic.Generate(project, turns, seed, Start, TimeSpan.FromDays(14), turnPrefix: turnPrefix);
        await store.Engine.InsertAsync("events", events);
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();
        return themes;
    }
}
