using System.Text;

namespace Feedback.Privacy;

/// <summary>
/// Which conversations are kept at a sample rate. The decision depends only on the conversation id and the rate
/// (a fixed hash of its UTF-8 bytes, never string.GetHashCode, which changes per process), so every process and
/// every restart keeps the same conversations whole. Raising the rate only adds conversations.
/// </summary>
public static class ConversationSampling
{
    /// <summary>Whether the conversation is kept at <paramref name="rate"/> (0..1).</summary>
    public static bool IsSampledIn(string conversationId, double rate) => rate >= 1 || Position(conversationId) < rate;

    /// <summary>The conversation's fixed place in [0, 1): kept at every rate above it.</summary>
    public static double Position(string conversationId)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var max = Encoding.UTF8.GetMaxByteCount(conversationId.Length);
        // Ids are at most 200 characters by contract: the stack holds them; a longer one costs one array.
        Span<byte> bytes = max <= 1024 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(conversationId, bytes);
        return (Hash(bytes[..length]) >> 11) * (1.0 / (1UL << 53)); // top 53 bits: every double in [0, 1) exact
    }

    /// <summary>64-bit FNV-1a, then MurmurHash3's finalizer so that ids differing only at the end spread evenly.</summary>
    internal static ulong Hash(ReadOnlySpan<byte> data)
    {
        var h = 14695981039346656037UL;
        foreach (var b in data) h = (h ^ b) * 1099511628211UL;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
