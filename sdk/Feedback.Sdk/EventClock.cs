namespace Feedback;

/// <summary>
/// Timestamps for the Track calls. Reading the wall clock costs ~75 ns on some VMs (a system call where the vDSO
/// cannot be used), several times the coarse monotonic tick count. So the system clock is read once as an anchor
/// and advanced by <see cref="Environment.TickCount64"/> (millisecond steps, a few ms of granularity: the
/// precision of the wire format's UUIDv7 ids); the background loop re-anchors every round, so corrections to the
/// wall clock are followed. Any other <see cref="TimeProvider"/> (a fake one in tests) is asked every time.
/// </summary>
internal sealed class EventClock
{
    private readonly TimeProvider provider;
    private readonly bool anchored;
    private Anchor anchor;

    public EventClock(TimeProvider provider)
    {
        this.provider = provider;
        anchored = ReferenceEquals(provider, TimeProvider.System);
        anchor = new Anchor(provider.GetUtcNow(), Environment.TickCount64);
    }

    public DateTimeOffset Now
    {
        get
        {
            if (!anchored) return provider.GetUtcNow();
            var a = Volatile.Read(ref anchor);
            return a.Utc.AddTicks((Environment.TickCount64 - a.Tick) * TimeSpan.TicksPerMillisecond);
        }
    }

    /// <summary>Reads the wall clock again (from the background loop, never on the app's thread).</summary>
    public void Reanchor()
    {
        if (anchored) Volatile.Write(ref anchor, new Anchor(provider.GetUtcNow(), Environment.TickCount64));
    }

    private sealed record Anchor(DateTimeOffset Utc, long Tick);
}
