using Feedback.Analytics.Store;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Where the signals stage (<see cref="TextSignalsJob"/>, <see cref="TurnSignalsJob"/>) starts in each project: the newest
/// <c>events.received_at</c> it has read there (<c>mining_marks</c>, miner <see cref="Miner"/>, a row per project), minus
/// <see cref="TurnSignalsJob.Lookback"/> for events loaded late. Per project, as events carry their own received_at
/// (a loader may write old times into a new project) and a mark per project keeps one project's from hiding another's.
/// Each statement reads every pending project, each from its own bound (<see cref="Bounds"/>): the key skips the other
/// projects, and the minmax index on received_at (0024) the granules that arrived before the stalest bound; with one
/// bound for all, every project would be read from the stalest project's. A mark also
/// keeps how many events its lookback held and the newest label change derived (0030), so a project is read again only
/// when something arrived, arrived late, or was relabelled since, whichever process took the mark.
/// </summary>
public sealed class SignalsMarks(IClickHouse store, TimeProvider clock)
{
    /// <summary>The stage's name in <c>mining_marks</c>.</summary>
    public const string Miner = "signals";

    // The marks of the projects of the shards held, and the projects of those shards without one (new), answered from
    // the events' projection of a row per project and part (migration 0029), not from the events themselves.
    private const string Marked = """
        SELECT project, max(mark) AS mark, argMax(lookback_events, updated_at) AS lookback_events, argMax(relabelled_at, updated_at) AS relabelled_at
        FROM mining_marks
        WHERE miner = {miner:String} AND project != '' AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
        GROUP BY project
        """;

    private const string Unmarked = """
        SELECT project FROM events
        WHERE project NOT IN (SELECT project FROM mining_marks WHERE miner = {miner:String} AND project != '')
          AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
        GROUP BY project
        """;

    // Projects whose follow-ups a person, the app's LLM or the project's own model labels, and when that last changed:
    // their turns can change without a new event (tables of a row per review and per model).
    private const string Relabelling = """
        SELECT project, max(changed) AS changed FROM
        (
            SELECT project, labelled_at AS changed FROM follow_up_reviews
            UNION ALL
            SELECT project, trained_at AS changed FROM follow_up_models
        )
        WHERE cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
        GROUP BY project
        """;

    // The events received since each project's own bound, in one statement for every project (a statement per
    // project cost a few milliseconds each, every run, in a store of many projects). The stalest bound is also a
    // constant, for the minmax index on received_at. With them, how many lie in the lookback before the newest: what
    // the window will hold once the mark has moved there.
    private const string Arrived = """
        SELECT project, count() AS events, max(received_at) AS newest,
            arrayCount(t -> t > newest - toIntervalSecond({lookback_seconds:UInt32}), groupArray(received_at)) AS lookback_events
        FROM events
        WHERE project IN (SELECT arrayJoin({projects:Array(String)})) -- a set the key can use, unlike an array
            AND received_at > {stalest:DateTime64(3, 'UTC')}
            AND received_at > {sinces:Array(DateTime64(3, 'UTC'))}[indexOf({projects:Array(String)}, project)]
        GROUP BY project
        """;

    /// <summary>The projects of <paramref name="shards"/> with events since their mark, or with follow-ups relabelled maybe.</summary>
    public async Task<IReadOnlyList<ProjectSignalsWindow>> PendingAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var marked = (await store.QueryAsync<MarkState>(Marked, shards.With(new { miner = Miner }), cancellationToken).ConfigureAwait(false))
            .ToDictionary(m => m.Project);
        var unmarked = await store.QueryAsync<ProjectRow>(Unmarked, shards.With(new { miner = Miner }), cancellationToken).ConfigureAwait(false);
        var relabelling = (await store.QueryAsync<RelabelRow>(Relabelling, shards.Parameters, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Project, r => r.Changed);
        var pending = new List<ProjectSignalsWindow>();
        var projects = marked.Keys.Concat(unmarked.Select(u => u.Project)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (projects.Count == 0) return pending;
        var candidates = projects.Select(p => new ProjectSignalsWindow(p, (marked.TryGetValue(p, out var mark) ? mark.Mark : DateTimeOffset.UnixEpoch) - TurnSignalsJob.Lookback, default)).ToList();
        var arrivals = (await store.QueryAsync<ArrivedRow>(Arrived, Bounds(candidates, new { lookback_seconds = (uint)TurnSignalsJob.Lookback.TotalSeconds }),
            cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Project);
        foreach (var (project, since, _) in candidates)
        {
            var mark = marked.GetValueOrDefault(project) ?? new MarkState(project, DateTimeOffset.UnixEpoch, 0, DateTimeOffset.UnixEpoch);
            var arrived = arrivals.GetValueOrDefault(project) ?? new ArrivedRow(project, 0, mark.Mark, mark.LookbackEvents);
            // New events, or events loaded late into the lookback (more than it held when the mark was taken), or labels
            // that changed after the project's turns were last derived.
            var changed = relabelling.GetValueOrDefault(project);
            var relabelled = changed > mark.RelabelledAt;
            if (arrived.Events > 0 && (arrived.Newest > mark.Mark || arrived.Events != (long)mark.LookbackEvents) || relabelled)
            {
                // A project with nothing arrived keeps its mark and count (the defaults above).
                pending.Add(new ProjectSignalsWindow(project, since, arrived.Newest)
                {
                    RelabelledAt = changed > DateTimeOffset.UnixEpoch ? changed : mark.RelabelledAt,
                    LookbackEvents = arrived.LookbackEvents,
                });
            }
        }
        return pending;
    }

    /// <summary>
    /// The statement's own parameters with the bounds of <paramref name="windows"/> added, for the condition by which
    /// one statement reads the events each project received since its own bound:
    /// <c>project IN (SELECT arrayJoin({projects:Array(String)})) AND received_at &gt; {stalest:DateTime64(3, 'UTC')}
    /// AND received_at &gt; {sinces:Array(DateTime64(3, 'UTC'))}[indexOf({projects:Array(String)}, project)]</c>. The set
    /// is one the key can use (an array is not); the stalest bound is a constant the minmax index on received_at can use.
    /// </summary>
    public static Dictionary<string, object?> Bounds(IReadOnlyCollection<ProjectSignalsWindow> windows, object? parameters)
        => new(QueryParameters.Named(parameters))
        {
            ["projects"] = windows.Select(w => w.Project).ToList(),
            ["sinces"] = windows.Select(w => w.Since).ToList(),
            ["stalest"] = windows.Count == 0 ? DateTimeOffset.UnixEpoch : windows.Min(w => w.Since),
        };

    /// <summary>Records that the events of <paramref name="windows"/> up to their newest have been read.</summary>
    public Task AdvanceAsync(IEnumerable<ProjectSignalsWindow> windows, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var rows = windows.Where(w => w.Newest > DateTimeOffset.UnixEpoch)
            .Select(w => new MarkRow(w.Project, w.Newest, w.LookbackEvents, w.RelabelledAt) { UpdatedAt = now }).ToList();
        return rows.Count == 0 ? Task.CompletedTask : store.InsertAsync("mining_marks", rows, cancellationToken);
    }

    private sealed record MarkRow(string Project, DateTimeOffset Mark, ulong LookbackEvents, DateTimeOffset RelabelledAt)
    {
        public string Miner { get; init; } = SignalsMarks.Miner;

        public DateTimeOffset UpdatedAt { get; init; }
    }

    private sealed record ProjectRow(string Project);

    private sealed record MarkState(string Project, DateTimeOffset Mark, ulong LookbackEvents, DateTimeOffset RelabelledAt);

    private sealed record RelabelRow(string Project, DateTimeOffset Changed);

    private sealed record ArrivedRow(string Project, long Events, DateTimeOffset Newest, ulong LookbackEvents);
}
