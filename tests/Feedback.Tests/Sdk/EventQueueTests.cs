using Feedback.Delivery;

namespace Feedback.Tests.Sdk;

/// <summary>The lock-free bounded queue between the app's threads and the sender.</summary>
public sealed class EventQueueTests
{
    [Fact]
    public void It_keeps_order_refuses_past_its_capacity_and_frees_slots_as_they_are_read()
    {
        var queue = new EventQueue<string>(3);

        var accepted = Enumerable.Range(0, 5).Select(i => queue.TryEnqueue($"e{i}", out _)).ToList();
        Assert.True(queue.TryDequeue(out var first));
        Assert.True(queue.TryEnqueue("e5", out var waiting));

        Assert.Equal([true, true, true, false, false], accepted);
        Assert.Equal("e0", first);
        Assert.Equal(3, waiting);
        Assert.Equal(["e1", "e2", "e5"], DrainAll(queue));
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public async Task Many_writers_and_one_reader_lose_nothing_and_duplicate_nothing()
    {
        const int Writers = 4, PerWriter = 50_000;
        var queue = new EventQueue<string>(64);
        var read = new List<string>();
        var done = 0;

        var reader = Task.Run(() =>
        {
            while (Volatile.Read(ref done) < Writers || queue.Count > 0)
                if (queue.TryDequeue(out var item)) read.Add(item);
        });
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
                while (!queue.TryEnqueue($"{w}:{i}", out _)) Thread.Yield(); // full: wait for the reader (the client drops instead)
            Interlocked.Increment(ref done);
        })).ToArray();
        await Task.WhenAll([.. writers, reader]);

        Assert.Equal(Writers * PerWriter, read.Count);
        Assert.Equal(Writers * PerWriter, read.Distinct().Count());
        foreach (var w in Enumerable.Range(0, Writers)) // each writer's items come out in its own order
            Assert.Equal(Enumerable.Range(0, PerWriter).Select(i => $"{w}:{i}"), read.Where(s => s.StartsWith($"{w}:", StringComparison.Ordinal)));
    }

    private static List<string> DrainAll(EventQueue<string> queue)
    {
        var items = new List<string>();
        while (queue.TryDequeue(out var item)) items.Add(item);
        return items;
    }
}
