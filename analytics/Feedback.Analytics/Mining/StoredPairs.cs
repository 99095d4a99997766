using Feedback.Analytics.Model;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Which mined pairs are in <c>pairs</c> already, looked up by the table's sorting key <c>(project, pair_id)</c>.
/// An incremental miner reads a source event again whenever a turn it is about is re-derived; its pair comes out
/// with the same <c>pair_id</c> (a hash of source and lineage) but a new <c>created_at</c>, and exports page by
/// <c>created_at</c> on the promise that a mined row never changes, so a rewritten pair would be delivered twice.
/// A lookup of the candidates' ids costs what they number, where a <c>NOT IN</c> over a source's pairs costs what
/// the table holds.
/// </summary>
public static class StoredPairs
{
    // Bounds the id list sent in one query.
    private const int ChunkSize = 10_000;

    private const string Stored = """
        SELECT pair_id FROM pairs
        WHERE project IN {projects:Array(String)} AND pair_id IN {ids:Array(UUID)}
        """;

    /// <summary>The ids of <paramref name="pairs"/> that are stored already.</summary>
    public static async Task<IReadOnlySet<Guid>> IdsAsync(IClickHouse store, IReadOnlyCollection<PreferencePair> pairs, CancellationToken cancellationToken = default)
    {
        var stored = new HashSet<Guid>();
        foreach (var chunk in pairs.Chunk(ChunkSize))
        {
            var rows = await store.QueryAsync<StoredPair>(Stored, new
            {
                projects = chunk.Select(p => p.Project).Distinct().ToList(),
                ids = chunk.Select(p => p.PairId).ToList(),
            }, cancellationToken).ConfigureAwait(false);
            stored.UnionWith(rows.Select(r => r.PairId));
        }
        return stored;
    }

    /// <summary>Stores those of <paramref name="pairs"/> not stored yet; returns them.</summary>
    public static async Task<IReadOnlyList<PreferencePair>> InsertNewAsync(IClickHouse store, IReadOnlyCollection<PreferencePair> pairs, CancellationToken cancellationToken = default)
    {
        var stored = await IdsAsync(store, pairs, cancellationToken).ConfigureAwait(false);
        var fresh = pairs.Where(p => !stored.Contains(p.PairId)).ToList();
        foreach (var chunk in fresh.Chunk(ChunkSize))
            await store.InsertAsync("pairs", chunk, cancellationToken).ConfigureAwait(false);
        return fresh;
    }

    private sealed record StoredPair(Guid PairId);
}
