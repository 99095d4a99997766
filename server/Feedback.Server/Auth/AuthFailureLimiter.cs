using System.Collections.Concurrent;
using System.Net;

using Feedback.Ingest;

namespace Feedback.Server.Auth;

/// <summary>
/// Counts failed key checks per client address in one-minute windows. A client over
/// <see cref="IngestOptions.MaxAuthFailuresPerMinute"/> gets 429 with Retry-After for the rest of the window
/// before any key lookup, unless its key is one already known to be valid (a client behind the same address as
/// a key guesser keeps working).
/// </summary>
public sealed class AuthFailureLimiter(IngestOptions limits, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Bound on tracked addresses; when reached, the table starts over (a spread attack costs memory, not a lockout of everyone).
    private const int MaxClients = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Counter> failures = new();

    /// <summary>When the client is over its limit: how long until it may try again; otherwise null.</summary>
    public TimeSpan? RetryAfter(IPAddress? client)
    {
        if (client is null || !failures.TryGetValue(client, out var counter)) return null;
        lock (counter)
        {
            var left = counter.WindowStart + Window - clock.GetUtcNow();
            return left > TimeSpan.Zero && counter.Count >= limits.MaxAuthFailuresPerMinute ? left : null;
        }
    }

    public void RecordFailure(IPAddress? client)
    {
        if (client is null) return;
        if (failures.Count >= MaxClients) failures.Clear();
        var counter = failures.GetOrAdd(client, _ => new Counter { WindowStart = clock.GetUtcNow() });
        lock (counter)
        {
            var now = clock.GetUtcNow();
            if (now - counter.WindowStart >= Window)
            {
                counter.WindowStart = now;
                counter.Count = 0;
            }
            counter.Count++;
        }
    }

    private sealed class Counter
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Count { get; set; }
    }
}
