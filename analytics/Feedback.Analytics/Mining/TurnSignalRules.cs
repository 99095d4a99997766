namespace Feedback.Analytics.Mining;

/// <summary>
/// The rules of a turn's signals that are not counting (docs/mining.md): the emoji table, which SQL reads as query
/// parameters, and the edit rules, which <see cref="TextSignalsJob"/> applies once per edit.
/// </summary>
public static class TurnSignalRules
{
    /// <summary>
    /// Emoji with a known polarity; every other emoji is 0. Variation selectors, skin tones and surrounding
    /// whitespace are ignored, in C# and in the SQL that reads emoji (<c>replaceRegexpAll(emoji, …)</c> in the signals job and the miners).
    /// </summary>
    public static IReadOnlyDictionary<string, int> EmojiPolarities { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["👍"] = 1,
        ["❤"] = 1,
        ["🎉"] = 1,
        ["😀"] = 1,
        ["🙏"] = 1,
        ["✅"] = 1,
        ["👎"] = -1,
        ["😡"] = -1,
        ["😠"] = -1,
        ["🤮"] = -1,
        ["💩"] = -1,
        ["😞"] = -1,
        ["❌"] = -1,
    };

    /// <summary>Above this many cells the edit distance is not computed exactly (see <see cref="EditDistanceRatio"/>).</summary>
    public const long MaxDistanceCells = 25_000_000;

    /// <summary>The emoji of <see cref="EmojiPolarities"/> with this polarity.</summary>
    public static IReadOnlyList<string> EmojiOf(int polarity) =>
        EmojiPolarities.Where(e => e.Value == polarity).Select(e => e.Key).ToList();

    /// <summary>True when the two texts differ in more than whitespace and punctuation.</summary>
    public static bool IsRealEdit(string response, string edited) =>
        !Significant(response).SequenceEqual(Significant(edited));

    /// <summary>
    /// Levenshtein distance (UTF-16 code units) divided by the longer text's length: 0 = same, 1 = nothing in common.
    /// The common prefix and suffix are skipped first; if the rest is still too big to compare exactly
    /// (<see cref="MaxDistanceCells"/>), the longer remaining length is used, an upper bound.
    /// </summary>
    public static double EditDistanceRatio(string a, string b)
    {
        var longest = Math.Max(a.Length, b.Length);
        if (longest == 0) return 0;
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;
        var x = a.AsSpan(prefix, a.Length - prefix - suffix);
        var y = b.AsSpan(prefix, b.Length - prefix - suffix);
        var distance = (long)x.Length * y.Length > MaxDistanceCells ? Math.Max(x.Length, y.Length) : Levenshtein(x, y);
        return (double)distance / longest;
    }

    private static int Levenshtein(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        var previous = new int[y.Length + 1];
        var current = new int[y.Length + 1];
        for (var j = 0; j <= y.Length; j++) previous[j] = j;
        for (var i = 1; i <= x.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= y.Length; j++)
            {
                var substitute = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[y.Length];
    }

    private static IEnumerable<char> Significant(string text) =>
        text.Where(c => !char.IsWhiteSpace(c) && !char.IsPunctuation(c));
}
