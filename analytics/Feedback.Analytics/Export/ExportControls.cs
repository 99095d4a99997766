using System.Text;
using Feedback.Analytics.Model;

namespace Feedback.Analytics.Export;

/// <summary>
/// The noise and bias controls that need the rows in order (docs/export.md): per-user and per-model-version caps,
/// duplicate removal and length balancing. They keep the first rows in export order, so the same rows always give
/// the same output. Length balancing reads the rows twice: once to count, once to write.
/// </summary>
public static class ExportControls
{
    public static async IAsyncEnumerable<PreferencePair> ApplyAsync(
        ExportFilter filter, Func<IAsyncEnumerable<PreferencePair>> read,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int? keepLonger = null, keepShorter = null;
        if (filter.LengthBalanced)
        {
            var (longer, shorter) = (0, 0);
            await foreach (var pair in Capped(filter, read(), p => p.UserId, p => p.ModelVersion, DedupeKey).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var side = LengthSide(pair);
                if (side > 0) longer++;
                else if (side < 0) shorter++;
            }
            keepLonger = keepShorter = Math.Min(longer, shorter);
        }
        await foreach (var pair in Capped(filter, read(), p => p.UserId, p => p.ModelVersion, DedupeKey).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var side = LengthSide(pair);
            if (side > 0 && keepLonger is not null && keepLonger-- <= 0) continue;
            if (side < 0 && keepShorter is not null && keepShorter-- <= 0) continue;
            yield return pair;
        }
    }

    /// <summary>The caps and duplicate removal alone (KTO rows, and the first step for pairs).</summary>
    public static async IAsyncEnumerable<T> Capped<T>(
        ExportFilter filter, IAsyncEnumerable<T> rows, Func<T, string> user, Func<T, string> modelVersion, Func<T, string> dedupeKey)
    {
        var perUser = new Dictionary<string, int>(StringComparer.Ordinal);
        var perVersion = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<UInt128>();
        await foreach (var row in rows.ConfigureAwait(false))
        {
            if (filter.Deduplicate && !seen.Add(Hash(dedupeKey(row)))) continue;
            if (filter.MaxPerUser > 0 && Count(perUser, user(row)) > filter.MaxPerUser) continue;
            if (filter.MaxPerModelVersion > 0 && Count(perVersion, modelVersion(row)) > filter.MaxPerModelVersion) continue;
            yield return row;
        }
    }

    /// <summary>+1 when the chosen answer is longer than the rejected one (in characters), -1 when shorter, 0 when equal.</summary>
    public static int LengthSide(PreferencePair p) => Math.Sign(p.Chosen.Length - p.Rejected.Length);

    public static string DedupeKey(PreferencePair p) =>
        string.Join('\u001f', Normalize(PromptText.Render(p.Prompt)), Normalize(p.Chosen), Normalize(p.Rejected));

    public static string DedupeKey(KtoRow r) =>
        string.Join('\u001f', Normalize(PromptText.Render(r.Prompt)), Normalize(r.Completion), r.Label ? "1" : "0");

    /// <summary>Lower case, whitespace runs made one space, trimmed: "Canberra. " and "canberra." are the same answer.</summary>
    public static string Normalize(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    // Counts this row in and returns the key's count so far (rows over a cap still count, harmlessly).
    private static int Count(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private static UInt128 Hash(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
