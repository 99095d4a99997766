using System.Diagnostics;
using System.Net;
using System.Text;
using Feedback.Analytics.Store;
using Feedback.Server.Hosting;

namespace Feedback.Tests.Ingest;

/// <summary>
/// Ingest cannot be starved: made-up keys cost no store query after the first, a key guesser gets 429, and a
/// read that would never end is stopped by its time limit, so a batch sent meanwhile is answered.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class IngestStarvationTests(EmbeddedStore store)
{
    [Fact]
    public async Task An_unknown_key_costs_one_store_query_not_one_per_request()
    {
        var counting = new KeyQueryCounter(store.Engine);
        await using var host = await FeedbackHost.StartAsync(
            new FeedbackHostOptions { DataDirectory = store.DataDirectory, Port = 0, MineEvery = TimeSpan.Zero }, counting, TextWriter.Null);
        using var http = RawEvents.Client(host.Urls.First(), "fbw_made-up-" + Guid.NewGuid());
        var before = counting.KeyQueries;

        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t1"))))).StatusCode);

        Assert.Equal(1, counting.KeyQueries - before);
    }

    [Fact]
    public async Task A_key_guesser_gets_429_with_Retry_After_while_a_valid_key_from_the_same_address_still_works()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var host = await store.StartHostAsync();
        using var valid = RawEvents.Client(host.Urls.First(), key);
        Assert.Equal(HttpStatusCode.OK, (await valid.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t1"))))).StatusCode);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 40; i++)
        {
            using var guesser = RawEvents.Client(host.Urls.First(), "fbw_guess-" + i);
            var response = await guesser.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t1"))));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }
        var stillValid = await valid.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t2"))));

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 30).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 10)), statuses);
        Assert.InRange(limited!.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        Assert.Equal(2, await new Feedback.Analytics.Events.EventStore(store.Engine).CountAsync(project));
    }

    [Fact]
    public async Task A_batch_sent_while_an_endless_read_runs_is_answered_within_the_sdk_timeout()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var host = await store.StartHostAsync();
        await using var clickHouse = await store.StartClickHouseHttpAsync(allowWrites: false, maxExecutionTime: TimeSpan.FromSeconds(2));
        using var reader = new HttpClient { BaseAddress = clickHouse.Url, Timeout = TimeSpan.FromMinutes(5) };
        reader.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("default:" + EmbeddedStore.ClickHousePassword)));
        using var http = RawEvents.Client(host.Urls.First(), key);

        var read = reader.PostAsync("", new StringContent("SELECT count() FROM system.numbers")); // never ends by itself
        await Task.Delay(300);
        var clock = Stopwatch.StartNew();
        var batch = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t1"))));
        clock.Stop();
        var readResponse = await read;

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal("159", readResponse.Headers.GetValues("X-ClickHouse-Exception-Code").Single()); // stopped by max_execution_time
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the batch took {clock.Elapsed}");
        Assert.Equal(1, await new Feedback.Analytics.Events.EventStore(store.Engine).CountAsync(project));
    }

    [Fact]
    public async Task A_batch_goes_before_reads_already_waiting_for_the_engine()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var host = await store.StartHostAsync();
        // Each read runs for 10 s: long enough for the next one to queue behind it on a slow, busy machine.
        await using var clickHouse = await store.StartClickHouseHttpAsync(allowWrites: false, maxExecutionTime: TimeSpan.FromSeconds(10));
        using var reader = new HttpClient { BaseAddress = clickHouse.Url, Timeout = TimeSpan.FromMinutes(5) };
        reader.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("default:" + EmbeddedStore.ClickHousePassword)));
        using var http = RawEvents.Client(host.Urls.First(), key);
        // The key is looked up once (a read); from then on a batch needs only its insert.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t0"))))).StatusCode);
        var finished = new List<string>();

        // Three reads that never end by themselves (each stopped at 10 s): one runs, two wait; then the batch arrives.
        var reads = new List<Task>();
        for (var i = 0; i < 3; i++)
        {
            reads.Add(Task.Run(async () =>
            {
                using var response = await reader.PostAsync("", new StringContent("SELECT count() FROM system.numbers"));
                lock (finished) finished.Add("read " + (int)response.StatusCode);
            }));
            var waiting = i;
            await WaitUntilAsync(() => store.Engine.IsRunningStatement && store.Engine.StatementsWaiting == waiting);
        }
        var batch = Task.Run(async () =>
        {
            using var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t1"))));
            lock (finished) finished.Add("batch " + (int)response.StatusCode);
        });
        await Task.WhenAll([.. reads, batch]);

        // First in, first out would answer the batch last; it comes right after the read that was running.
        Assert.Equal(["read 408", "batch 200", "read 408", "read 408"], finished);
        Assert.Equal(2, await new Feedback.Analytics.Events.EventStore(store.Engine).CountAsync(project));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the engine never got there");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_read_api_query_is_stopped_by_its_time_limit()
    {
        var reads = new TimeLimitedReads(store.Engine, TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => reads.QueryAsync<CountRow>("SELECT count() AS n FROM system.numbers"));

        Assert.Equal(159, error.Code);
    }

    private sealed record CountRow(long N);

    /// <summary>The real engine, counting the queries that look a key up.</summary>
    private sealed class KeyQueryCounter(IClickHouse inner) : IClickHouse
    {
        private int keyQueries;

        public int KeyQueries => keyQueries;

        public Task ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) => inner.ExecuteAsync(sql, parameters, cancellationToken);

        public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
        {
            if (sql.Contains("FROM api_keys", StringComparison.Ordinal)) Interlocked.Increment(ref keyQueries);
            return inner.QueryAsync<T>(sql, parameters, cancellationToken);
        }

        public Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default) => inner.InsertAsync(table, rows, cancellationToken);

        public Task InsertJsonRowsAsync(string table, IReadOnlyCollection<ReadOnlyMemory<byte>> rows, CancellationToken cancellationToken = default) => inner.InsertJsonRowsAsync(table, rows, cancellationToken);
    }
}
