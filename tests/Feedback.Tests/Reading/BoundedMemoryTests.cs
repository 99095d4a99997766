using Feedback.Analytics.Conversations;
using Feedback.Analytics.Events;
using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Analytics.Store.ChDb;
using Feedback.Events;
using Feedback.Tests.Export;
using Feedback.Tests.Mining;

namespace Feedback.Tests.Reading;

/// <summary>Memory bounded by design: a conversation view and an export page hold a bounded number of bytes, and an engine result too big for an array is an error.</summary>
[Collection(SharedStore.Name)]
public sealed class BoundedMemoryTests(EmbeddedStore store)
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public async Task A_conversation_view_holds_at_most_its_byte_bound_and_says_it_was_truncated()
    {
        var (project, _) = await store.NewProjectAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var turns = Enumerable.Range(0, 30).Select(i => Turn(project, "big", $"t{i:D2}", start.AddSeconds(i), new string('r', Megabyte))).ToList();
        await new EventStore(store.Engine).AppendAsync(turns);
        await new EventStore(store.Engine).AppendAsync([Turn(project, "small", "t0", start, "a")]);
        var reader = new ConversationReader(store.Engine);

        var big = await reader.GetAsync(project, "big");
        var small = await reader.GetAsync(project, "small");

        // Turns of a little over 1 MiB each (the response and a few bytes): the first 16 start below the 16 MiB
        // bound (the 16th is the one that crosses it), the 17th would start above it.
        Assert.Equal(turns.Take(16).Select(t => t.TurnId), big!.Turns.Select(t => t.TurnId));
        Assert.True(big.Truncated);
        Assert.False(small!.Truncated);
        Assert.Single(small.Turns);
    }

    [Fact]
    public async Task An_export_page_holds_at_most_its_byte_bound_and_the_export_loses_nothing()
    {
        var (project, _) = await store.NewProjectAsync();
        var pairs = Enumerable.Range(0, 40).Select(i => ExportPairs.Pair(project, ExportPairs.T0.AddMinutes(i), chosen: new string('c', Megabyte))).ToArray();
        await ExportPairs.InsertAsync(store.Engine, pairs);
        var pages = new PageCounter(store.Engine);

        var read = new List<PreferencePair>();
        await foreach (var pair in new PairReader(pages).ReadAsync(new ExportFilter { Project = project })) read.Add(pair);

        Assert.Equal(pairs.Select(p => p.PairId), read.Select(p => p.PairId));
        Assert.All(pages.PairPages, rows => Assert.InRange(rows, 1, 16)); // 1 MiB rows, 16 MiB pages
        Assert.True(pages.PairPages.Count >= 3, $"{pages.PairPages.Count} pages");
    }

    [Fact]
    public void An_engine_result_over_what_an_array_holds_is_an_error_not_a_wrapped_length()
    {
        Assert.Equal(5, ChDbEngine.ResultLength(5));
        Assert.Equal(Array.MaxLength, ChDbEngine.ResultLength((nuint)Array.MaxLength));
        var error = Assert.Throws<ClickHouseException>(() => ChDbEngine.ResultLength((nuint)3_000_000_000));
        Assert.Equal(396, error.Code);
    }

    private static FeedbackEvent Turn(string project, string conversation, string turnId, DateTimeOffset at, string response)
    {
        var turn = StoredEvents.Turn(project, turnId, at, prompt: "q", response: response);
        turn.ConversationId = conversation;
        return turn;
    }

    /// <summary>The real engine, noting how many pairs each page query returned.</summary>
    private sealed class PageCounter(IClickHouse inner) : IClickHouse
    {
        public List<int> PairPages { get; } = [];

        public Task ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) => inner.ExecuteAsync(sql, parameters, cancellationToken);

        public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
        {
            var rows = await inner.QueryAsync<T>(sql, parameters, cancellationToken);
            if (typeof(T) == typeof(PreferencePair)) PairPages.Add(rows.Count);
            return rows;
        }

        public Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default) => inner.InsertAsync(table, rows, cancellationToken);

        public Task InsertJsonRowsAsync(string table, IReadOnlyCollection<ReadOnlyMemory<byte>> rows, CancellationToken cancellationToken = default) => inner.InsertJsonRowsAsync(table, rows, cancellationToken);
    }
}
