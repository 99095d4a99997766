namespace Feedback.Delivery;

/// <summary>
/// The bounded queue between the app's threads (many writers) and the background sender (one reader): a ring of
/// slots allocated once, so enqueueing takes no lock and allocates nothing, and memory stays fixed however slow
/// the network. Full means the write is refused (the caller counts the drop). Dmitry Vyukov's bounded queue:
/// each slot's sequence number says whose turn it is, so a writer claims a slot with one compare-and-swap.
/// </summary>
internal sealed class EventQueue<T>(int capacity)
    where T : class
{
    private readonly Slot[] slots = NewSlots(capacity);
    private long enqueued; // the next position a writer claims
    private long dequeued; // the next position the reader takes; written by the reader only

    public int Capacity => slots.Length;

    /// <summary>Events waiting (a snapshot: writers may add more at the same time).</summary>
    public int Count => (int)Math.Max(0, Volatile.Read(ref enqueued) - Volatile.Read(ref dequeued));

    /// <summary>Adds the item; false when the queue is full. Returns how many items wait, counting this one.</summary>
    public bool TryEnqueue(T item, out int count)
    {
        var position = Volatile.Read(ref enqueued);
        while (true)
        {
            ref var slot = ref slots[position % slots.Length];
            var gap = Volatile.Read(ref slot.Sequence) - position;
            if (gap == 0)
            {
                var seen = Interlocked.CompareExchange(ref enqueued, position + 1, position);
                if (seen == position)
                {
                    slot.Item = item;
                    Volatile.Write(ref slot.Sequence, position + 1); // publishes the item to the reader
                    count = (int)(position + 1 - Volatile.Read(ref dequeued));
                    return true;
                }
                position = seen; // another writer took it: try the next one
            }
            else if (gap < 0)
            {
                count = slots.Length; // the reader has not freed this slot yet: full
                return false;
            }
            else position = Volatile.Read(ref enqueued);
        }
    }

    /// <summary>Takes the oldest item; only the one reader may call this.</summary>
    public bool TryDequeue(out T item)
    {
        var position = dequeued;
        ref var slot = ref slots[position % slots.Length];
        if (Volatile.Read(ref slot.Sequence) != position + 1)
        {
            item = null!; // empty, or a writer claimed the slot and has not stored its item yet
            return false;
        }
        item = slot.Item!;
        slot.Item = null; // let the event be collected now, not when the ring comes round
        Volatile.Write(ref slot.Sequence, position + slots.Length); // free for the writer one lap ahead
        Volatile.Write(ref dequeued, position + 1);
        return true;
    }

    private static Slot[] NewSlots(int capacity)
    {
        // Two slots at least: with one, a writer could not tell a slot the reader freed from one it has not read.
        var slots = new Slot[Math.Max(2, capacity)];
        for (var i = 0; i < slots.Length; i++) slots[i].Sequence = i;
        return slots;
    }

    private struct Slot
    {
        public long Sequence;
        public T? Item;
    }
}
