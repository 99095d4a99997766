using System.Net.Http.Headers;
using System.Net.Http.Json;
using Feedback.Events;
using Feedback.Simulation;

namespace Feedback.Cli.Demo;

/// <summary>
/// A month of simulated traffic for the demo project, so the dashboard a newcomer opens is full: trends over 30 days,
/// a comparison with a planted difference (acme-chat v2 answers well more often than v1), topics of planted complaint
/// themes, and pairs of every source. The simulator's conversations (every signal kind, docs/mining.md "Simulator")
/// and the complaint themes are sent over the capture API with the project's write key, as an app's backend would.
/// </summary>
public static class DemoMonth
{
    public const int Conversations = 3_000;

    public const int Complaints = 600;

    public static readonly TimeSpan Span = TimeSpan.FromDays(30);

    /// <summary>The month before <paramref name="now"/>, ending an hour before it (no event is in the future).</summary>
    public static IReadOnlyList<FeedbackEvent> Events(DateTimeOffset now)
    {
        var start = now - Span - TimeSpan.FromHours(1);
        var simulated = ConversationSimulator.Run(new SimulationOptions
        {
            Seed = 7,
            Conversations = Conversations,
            Project = "demo",
            Start = start,
            Spacing = Span / Conversations,
        }).Events;
        var (complaints, _) = ComplaintTraffic.Generate("demo", Complaints, seed: 7, start, Span, positiveShare: 0.2, turnPrefix: "demo-complaint-");
        var random = new Random(7);
        foreach (var turn in complaints.Where(e => e.Kind == EventKinds.Turn))
        {
            // The complaints come from the simulator's model too, the older version more often (as its answers are worse).
            turn.Model = "acme-chat";
            turn.ModelVersion = random.NextDouble() < 0.65 ? "v1" : "v2";
        }
        return [.. simulated, .. complaints];
    }

    /// <summary>Sends the events in batches of 500 to <c>POST /v1/batch</c>; returns how many were accepted.</summary>
    public static async Task<int> SendAsync(string url, string writeKey, IReadOnlyList<FeedbackEvent> events, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", writeKey);
        var accepted = 0;
        foreach (var batch in events.Chunk(500))
        {
            using var response = await http.PostAsJsonAsync("v1/batch", new { events = batch }, FeedbackJson.Options, cancellationToken);
            response.EnsureSuccessStatusCode();
            accepted += (await response.Content.ReadFromJsonAsync<BatchAnswer>(FeedbackJson.Options, cancellationToken))?.Accepted ?? 0;
        }
        return accepted;
    }

    private sealed record BatchAnswer(int Accepted);
}
