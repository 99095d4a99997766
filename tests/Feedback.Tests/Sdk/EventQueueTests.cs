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
    public void Many_writers_and_one_reader_lose_nothing_and_duplicate_nothing()
    {
        const int Writers = 4, PerWriter = 20_000;
        var queue = new EventQueue<string>(64);
        var read = new List<string>();
        var done = 0;

        // Dedicated threads, not pool tasks: spinning tasks would starve the thread pool other tests run on.
        var reader = new Thread(() =>
        {
            while (Volatile.Read(ref done) < Writers || queue.Count > 0)
                if (queue.TryDequeue(out var item)) read.Add(item);
                else Thread.Yield();
        });
        var writers = Enumerable.Range(0, Writers).Select(w => new Thread(() =>
        {
            for (var i = 0; i < PerWriter; i++)
                while (!queue.TryEnqueue($"{w}:{i}", out _)) Thread.Yield(); // full: wait for the reader (the client drops instead)
            Interlocked.Increment(ref done);
        })).ToList();
        foreach (var thread in writers.Append(reader)) thread.Start();
        foreach (var thread in writers.Append(reader)) thread.Join();

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
