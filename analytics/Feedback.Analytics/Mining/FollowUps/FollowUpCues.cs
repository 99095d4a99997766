using System.Globalization;
using System.Text.RegularExpressions;

namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// Hand-made numeric features that relate the follow-up to the turn, which a bag of words over the follow-up
/// alone cannot see: a rephrase repeats the prompt's words, a correction brings words that are in neither the
/// prompt nor the answer. All values are in 0..1.
/// </summary>
public static partial class FollowUpCues
{
    public const int Count = 13;

    private static readonly HashSet<string> StopWords =
    [
        "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "is", "it", "its", "it's", "that", "this", "i",
        "you", "me", "my", "your", "what", "how", "do", "does", "did", "be", "are", "was", "with", "at", "as", "by",
        "not", "no", "but", "so", "can", "please", "thanks", "ok", "okay",
    ];

    public static float[] Compute(FollowUp turn)
    {
        var text = turn.Followup.ToLowerInvariant();
        // The follow-up's content words, repeats kept; the prompt and the answer are only asked which of these they hold.
        var followup = new List<string>();
        var followupWords = 0;
        foreach (var word in new WordRanges(text))
        {
            followupWords++;
            var value = text[word];
            if (!StopWords.Contains(value)) followup.Add(value);
        }
        var wanted = followup.ToHashSet(StringComparer.Ordinal);
        var (inPrompt, promptWords) = Find(wanted, turn.Prompt);
        var (inResponse, _) = Find(wanted, turn.Response);
        var denominator = Math.Max(1, followup.Count);
        return
        [
            followup.Count(inPrompt.Contains) / (float)denominator,
            followup.Count(inResponse.Contains) / (float)denominator,
            followup.Count(w => !inPrompt.Contains(w) && !inResponse.Contains(w)) / (float)denominator,
            text.Contains('?', StringComparison.Ordinal) ? 1 : 0,
            Negative().IsMatch(text) ? 1 : 0,
            Fix().IsMatch(text) ? 1 : 0,
            Praise().IsMatch(text) ? 1 : 0,
            Rephrase().IsMatch(text) ? 1 : 0,
            Question().IsMatch(text) ? 1 : 0,
            text.Any(char.IsDigit) ? 1 : 0,
            Math.Min(3f, followupWords / (float)Math.Max(1, promptWords)) / 3f,
            Math.Min(1f, MathF.Log(1 + followupWords) / 4f),
            RefersBack().IsMatch(text) ? 1 : 0,
        ];
    }

    // The words of `text` that are in `wanted` (compared lower-cased), and how many words `text` has. Scans the
    // text once without copying it: this runs for every follow-up a mining run classifies.
    private static (HashSet<string> Found, int Words) Find(HashSet<string> wanted, string text)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var lookup = wanted.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> lower = stackalloc char[64];
        var words = 0;
        foreach (var word in new WordRanges(text))
        {
            words++;
            if (found.Count == wanted.Count) continue; // all found: only counting now
            var original = text.AsSpan(word);
            var buffer = original.Length <= lower.Length ? lower : new char[original.Length]; // lower-casing keeps the length
            var length = original.ToLowerInvariant(buffer);
            if (lookup.TryGetValue(buffer[..length], out var match)) found.Add(match);
        }
        return (found, words);
    }

    /// <summary>
    /// The runs of letters, digits and apostrophes in a text (the regex [\p{L}\p{N}']+, without a Match per word).
    /// Lower-casing maps letters to letters, so a text has the same runs before and after.
    /// </summary>
    private ref struct WordRanges(string text)
    {
        private int end;

        public Range Current { get; private set; }

        public readonly WordRanges GetEnumerator() => this;

        public bool MoveNext()
        {
            var start = end;
            while (start < text.Length && !IsWordChar(text[start])) start++;
            if (start == text.Length) return false;
            end = start + 1;
            while (end < text.Length && IsWordChar(text[end])) end++;
            Current = start..end;
            return true;
        }

        private static bool IsWordChar(char c) =>
            c == '\'' || char.GetUnicodeCategory(c) is >= UnicodeCategory.UppercaseLetter and <= UnicodeCategory.OtherLetter
                or >= UnicodeCategory.DecimalDigitNumber and <= UnicodeCategory.OtherNumber;
    }

    [GeneratedRegex(@"\b(wrong|incorrect|not (right|correct|quite)|nope|mistake|mixed|useless|garbage|terrible|bad|doesn't work|didn't help|no)\b")]
    private static partial Regex Negative();

    [GeneratedRegex(@"\b(it's|it is|should be|actually|correct (answer|one)|use|instead|the other way|not \w+)\b")]
    private static partial Regex Fix();

    [GeneratedRegex(@"\b(thanks|thank|thx|ty|perfect|great|awesome|brilliant|excellent|worked|works|helpful|helped|love|nice|spot on|lifesaver)\b")]
    private static partial Regex Praise();

    [GeneratedRegex(@"\b(i meant|i mean|my question|rephrase|i asked|again|misunderstood|put it another way|to be clearer|once more|ask differently|wasn't clear|what i want)\b")]
    private static partial Regex Rephrase();

    // A question about the answer points back at it; a new request does not.
    [GeneratedRegex(@"\b(that|this|it|you|your|sure|really|mean|explain|source|check)\b")]
    private static partial Regex RefersBack();

    [GeneratedRegex(@"^\W*(\w+[,.]?\s+)?(are|is|why|what|how|where|does|can|could|really|source|and)\b")]
    private static partial Regex Question();
}
