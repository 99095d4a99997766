namespace Feedback.Analytics.Mining;

/// <summary>
/// The projects one mining run covers: those whose <c>cityHash64(project) % Count</c> is one of <see cref="Held"/>.
/// The embedded mode mines <see cref="All"/> (one shard, held); in the distributed mode each worker holds the shards
/// Kafka's group assignment gives it (<c>ShardedMining</c>). By project, so every join of a miner (a conversation,
/// a request answered twice, a choice's turns) stays within one shard.
/// </summary>
public sealed class MiningShards : IEquatable<MiningShards>
{
    /// <summary>Every project: one shard, held.</summary>
    public static readonly MiningShards All = new(1, [0]);

    public MiningShards(uint count, IEnumerable<uint> held)
    {
        ArgumentOutOfRangeException.ThrowIfZero(count);
        Count = count;
        Held = held.Distinct().Order().ToArray();
        if (Held.Any(s => s >= count)) throw new ArgumentOutOfRangeException(nameof(held), "a shard is below the count");
    }

    /// <summary>How many shards there are (the control topic's partitions).</summary>
    public uint Count { get; }

    /// <summary>The shards this run mines, in order.</summary>
    public IReadOnlyList<uint> Held { get; }

    /// <summary>
    /// The parameters of the shard condition each stage's SQL carries where its new work is found (so everything it
    /// joins to follows): <c>cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}</c>.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Parameters => new Dictionary<string, object?>
    {
        ["shard_count"] = Count,
        ["shards"] = Held,
    };

    /// <summary>The statement's own parameters with the shards' added.</summary>
    public Dictionary<string, object?> With(object? parameters)
    {
        var all = new Dictionary<string, object?>(Store.QueryParameters.Named(parameters));
        foreach (var (name, value) in Parameters) all[name] = value;
        return all;
    }

    public bool Equals(MiningShards? other) => other is not null && Count == other.Count && Held.SequenceEqual(other.Held);

    public override bool Equals(object? obj) => Equals(obj as MiningShards);

    public override int GetHashCode() => HashCode.Combine(Count, Held.Count, Held.Count > 0 ? Held[0] : 0);

    public override string ToString() => $"{string.Join(",", Held)} of {Count}";
}
