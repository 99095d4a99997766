using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Feedback.Tests.Process;

/// <summary>
/// The real `feedback serve` SIGKILLed while four writers send batches: after a restart every acknowledged
/// event is stored, and none twice (docs/reliability.md). The kill comes after a count of acknowledged batches,
/// not after a time, so the test means the same on a slow machine.
/// </summary>
public sealed partial class KillUnderLoadTests(ITestOutputHelper output) : IDisposable
{
    private const int Writers = 4;
    private const int EventsPerBatch = 25;
    private const string Password = "kill-test";
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-kill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Two_SIGKILLs_under_load_lose_and_duplicate_no_acknowledged_event()
    {
        var acknowledged = new ConcurrentBag<string>();
        var tried = 0;
        string key;
        await using (var first = await FeedbackProcess.ServeAsync(dataDirectory))
        {
            key = await first.WaitForAsync(KeyLine());
            tried += await LoadThenKillAsync(first, key, acknowledged, killAfterBatches: 40);
        }
        await using (var second = await FeedbackProcess.ServeAsync(dataDirectory))
            tried += await LoadThenKillAsync(second, key, acknowledged, killAfterBatches: 40);

        await using var third = await FeedbackProcess.ServeAsync(dataDirectory, "--clickhouse-port", "0", "--clickhouse-password", Password);
        var clickHouse = await third.WaitForAsync(ClickHouseLine());
        using var http = new HttpClient { BaseAddress = new Uri(clickHouse) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("default:" + Password)));
        var rows = (await (await http.PostAsync("", new StringContent(
            "SELECT toString(event_id), count() FROM events WHERE project = 'default' GROUP BY event_id FORMAT TSV"))).Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(acknowledged.Count >= 2 * 40 * EventsPerBatch, $"{acknowledged.Count} acknowledged of {tried} tried");
        output.WriteLine($"events tried {tried}, acknowledged {acknowledged.Count}, stored {rows.Count}");
        var lost = acknowledged.Where(id => !rows.ContainsKey(id)).ToList();
        var duplicated = rows.Where(r => r.Value > 1).Select(r => r.Key).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged events lost");
        Assert.True(duplicated.Count == 0, $"{duplicated.Count} events written twice (each batch was sent once)");
    }

    /// <summary>Writers send batches until <paramref name="killAfterBatches"/> were acknowledged, then the server is SIGKILLed under them.</summary>
    private static async Task<int> LoadThenKillAsync(FeedbackProcess server, string key, ConcurrentBag<string> acknowledged, int killAfterBatches)
    {
        var acks = 0;
        var tried = 0;
        using var stop = new CancellationTokenSource();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            using var http = RawEvents.Client(server.Url, key);
            while (!stop.IsCancellationRequested)
            {
                var events = Enumerable.Range(0, EventsPerBatch).Select(i => RawEvents.Turn($"w{w}-{i}")).ToArray();
                Interlocked.Add(ref tried, EventsPerBatch);
                try
                {
                    using var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(events)));
                    if (response.StatusCode != HttpStatusCode.OK) continue; // not acknowledged: the client would resend
                    foreach (var e in events) acknowledged.Add((string)e["event_id"]!);
                    if (Interlocked.Increment(ref acks) == killAfterBatches) enough.TrySetResult();
                }
                catch (HttpRequestException)
                {
                    return; // the server is gone: what was in flight was not acknowledged
                }
            }
        })).ToList();

        await enough.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await server.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        return tried;
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);

    [GeneratedRegex(@"^\s+(fbw_\S+)$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"ClickHouse HTTP interface on (http://\S+/)")]
    private static partial Regex ClickHouseLine();
}
