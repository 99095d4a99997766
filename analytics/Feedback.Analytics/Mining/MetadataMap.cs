namespace Feedback.Analytics.Mining;

/// <summary>A turn's metadata, equal to another with the same entries (so rows compare by value, as records do).</summary>
public sealed class MetadataMap : Dictionary<string, string>
{
    public MetadataMap()
    {
    }

    public MetadataMap(IReadOnlyDictionary<string, string> entries)
        : base(entries)
    {
    }

    public override bool Equals(object? obj) =>
        obj is MetadataMap other && Count == other.Count && this.All(kv => other.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => this.Aggregate(Count, (hash, kv) => hash ^ HashCode.Combine(kv.Key, kv.Value));
}
