using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Embeddings;

/// <summary>
/// An embedder whose vectors are kept in the store (<c>text_embeddings</c>), so a text is embedded once, not once per
/// process: a refit after a restart reads 100k turns' vectors instead of spending an hour of encoder time on them.
/// The store is asynchronous and <see cref="ISentenceEmbedder.Embed"/> is not, so a caller brackets its work:
/// <see cref="LoadAsync"/> the texts it is about to embed, embed, then <see cref="SaveAsync"/> what was new.
/// </summary>
public sealed class StoredEmbeddings(IClickHouse store, ISentenceEmbedder encoder, string project) : ISentenceEmbedder
{
    private readonly ConcurrentDictionary<string, float[]> loaded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, float[]> fresh = new(StringComparer.Ordinal);

    public string Model => encoder.Model;

    public int Dimensions => encoder.Dimensions;

    /// <summary>Texts embedded by the encoder since the last <see cref="SaveAsync"/>.</summary>
    public int Embedded => fresh.Count;

    /// <summary>Reads the stored vectors of these texts, for the next <see cref="Embed"/> calls.</summary>
    public async Task LoadAsync(IEnumerable<string> texts, CancellationToken cancellationToken = default)
    {
        var wanted = texts.Where(t => !loaded.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToDictionary(Hash, StringComparer.Ordinal);
        foreach (var chunk in wanted.Keys.Chunk(10_000))
        {
            var rows = await store.QueryAsync<Row>("""
                SELECT text_hash, vector
                FROM text_embeddings FINAL
                WHERE project = {project:String} AND model = {model:String} AND text_hash IN {hashes:Array(String)}
                """, new { project, model = Model, hashes = chunk }, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows) loaded[wanted[row.TextHash]] = Decode(row.Vector);
        }
    }

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
    {
        var missing = texts.Where(t => !loaded.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            var vectors = encoder.Embed(missing);
            for (var i = 0; i < missing.Count; i++)
            {
                // Rounded as stored: a text's vector is the same in this process and in the next one.
                var vector = Decode(Encode(vectors[i]));
                loaded[missing[i]] = vector;
                fresh[missing[i]] = vector;
            }
        }
        return texts.Select(t => loaded[t]).ToList();
    }

    /// <summary>Stores the vectors embedded since the last save, and forgets the loaded ones (the store keeps them).</summary>
    public async Task SaveAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var rows = fresh.Select(f => new Row(Hash(f.Key), Encode(f.Value)) { Project = project, Model = Model, CreatedAt = now }).ToList();
        foreach (var chunk in rows.Chunk(10_000)) await store.InsertAsync("text_embeddings", chunk, cancellationToken).ConfigureAwait(false);
        fresh.Clear();
        loaded.Clear();
    }

    // The first 16 bytes of SHA-256: 2^-64 collision odds per pair at a billion texts is nothing to guard against.
    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));

    private static string Encode(float[] vector)
    {
        var half = vector.Select(v => (Half)v).ToArray();
        return Convert.ToBase64String(MemoryMarshal.AsBytes(half.AsSpan()));
    }

    private static float[] Decode(string stored) =>
        MemoryMarshal.Cast<byte, Half>(Convert.FromBase64String(stored)).ToArray().Select(h => (float)h).ToArray();

    private sealed record Row(string TextHash, string Vector)
    {
        public string Project { get; init; } = "";

        public string Model { get; init; } = "";

        public DateTimeOffset CreatedAt { get; init; }
    }
}
