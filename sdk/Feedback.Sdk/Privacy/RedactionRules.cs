using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Feedback.Privacy;

/// <summary>
/// The default rules (docs/sdk-privacy.md has the table of what each matches and leaves alone).
/// Each first checks cheaply whether the text could hold a match at all (enough digits, dots, colons or an '@'),
/// so most texts never run a regex and cost no allocation.
/// </summary>
public static partial class RedactionRules
{
    // SearchValues: vectorized and, unlike IndexOfAnyInRange here, measured to allocate nothing per call.
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    /// <summary>E-mail addresses → <c>[EMAIL]</c>.</summary>
    public static IRedactionRule Email { get; } = new PatternRule("[EMAIL]", EmailRegex(), static t => t.Contains('@'));

    /// <summary>Payment card numbers, 13–19 digits, spaces or dashes allowed, Luhn-valid → <c>[CARD]</c>.</summary>
    public static IRedactionRule PaymentCard { get; } = new PatternRule("[CARD]", CardRegex(), static t => HasDigits(t, 13), Luhn);

    /// <summary>IPv4 addresses (dotted quads, each part 0–255) → <c>[IP]</c>.</summary>
    public static IRedactionRule IPv4 { get; } = new PatternRule("[IP]", IPv4Regex(), static t => t.AsSpan().Count('.') >= 3 && HasDigits(t, 4));

    /// <summary>IPv6 addresses, full or with <c>::</c>, holding at least one decimal digit → <c>[IP]</c>.</summary>
    public static IRedactionRule IPv6 { get; } = new PatternRule("[IP]", IPv6Regex(), HasDigitNearColon, static m => HasDigits(m, 1));

    /// <summary>Phone numbers: international (+…) and common national formats → <c>[PHONE]</c>.</summary>
    public static IRedactionRule Phone { get; } = new PatternRule("[PHONE]", PhoneRegex(), static t => HasDigits(t, 8), IsPhoneNumber);

    /// <summary>
    /// All of the above, in the order they run: cards before phones (a grouped card number would otherwise
    /// be half taken for a phone number), IPv4 before IPv6 (so an IPv4-mapped IPv6 address loses its IPv4 part).
    /// </summary>
    public static IReadOnlyList<IRedactionRule> Defaults { get; } = [Email, PaymentCard, IPv4, IPv6, Phone];

    /// <summary>
    /// The pre-check: a text without that many digits cannot hold a match, so the regex is not run at all.
    /// Vectorized, allocation-free.
    /// </summary>
    private static bool HasDigits(ReadOnlySpan<char> text, int atLeast)
    {
        for (var found = 0; found < atLeast; found++)
        {
            var next = text.IndexOfAny(Digits);
            if (next < 0) return false;
            text = text[(next + 1)..];
        }
        return true;
    }

    /// <summary>
    /// The IPv6 pre-check. Every group is at most 4 hex digits next to a ':', so an address holding a decimal
    /// digit has one within 4 characters of a colon; code such as <c>std::map</c> or <c>a: b</c> has none.
    /// </summary>
    private static bool HasDigitNearColon(string text)
    {
        var span = text.AsSpan();
        for (var at = span.IndexOf(':'); at >= 0;)
        {
            var around = span[Math.Max(0, at - 4)..Math.Min(span.Length, at + 5)];
            if (around.IndexOfAny(Digits) >= 0) return true;
            var next = span[(at + 1)..].IndexOf(':');
            at = next < 0 ? -1 : at + 1 + next;
        }
        return false;
    }

    // 64 is the longest local part an address may have; the bounds also keep matching linear.
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]{1,64}@(?:[A-Za-z0-9\-]{1,63}\.){1,8}[A-Za-z]{2,63}(?![A-Za-z0-9\-])", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    // Starts with 2–6 (every card network: Mastercard 2/5, Amex 3, Visa 4, Discover/UnionPay 6), which also
    // keeps out millisecond timestamps (1…) and zero-padded ids. Not right after a digit or '+' (phone numbers).
    [GeneratedRegex(@"(?<![\d+])[2-6](?:[ \-]?\d){12,18}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CardRegex();

    // Not after a letter or digit, so "v1.2.3.4" (a version) stays; "1.2.3.4" alone cannot be told from an address.
    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex IPv4Regex();

    // The usual alternatives for the full and the compressed forms; the lookarounds make each match take a
    // whole address (so "fe80::1" is not cut at "fe80::") and keep "std::vector"-like code out.
    [GeneratedRegex("""
        (?<![\w:])
        (?: (?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}
          | (?:[0-9A-Fa-f]{1,4}:){1,7}:
          | (?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}
          | (?:[0-9A-Fa-f]{1,4}:){1,5}(?::[0-9A-Fa-f]{1,4}){1,2}
          | (?:[0-9A-Fa-f]{1,4}:){1,4}(?::[0-9A-Fa-f]{1,4}){1,3}
          | (?:[0-9A-Fa-f]{1,4}:){1,3}(?::[0-9A-Fa-f]{1,4}){1,4}
          | (?:[0-9A-Fa-f]{1,4}:){1,2}(?::[0-9A-Fa-f]{1,4}){1,5}
          | [0-9A-Fa-f]{1,4}:(?::[0-9A-Fa-f]{1,4}){1,6}
          | :(?:(?::[0-9A-Fa-f]{1,4}){1,7}|:)
        )
        (?![\w:]|\.\w)
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex IPv6Regex();

    // Three shapes; IsPhoneNumber then checks the digit count.
    //   intl:  + country code, then up to 6 groups (spaces, dots, dashes, "(0)" or "(415)" allowed)
    //   nanp:  North American 415-555-2671, (415) 555-2671, 415.555.2671, optional leading 1
    //   trunk: national numbers with a leading 0 (020 7946 0958, 01 23 45 67 89, 030/1234567), one separator throughout
    // Never right after a letter, digit or separator (ids such as ORD-415-555-2671), never followed by more digits.
    [GeneratedRegex("""
        (?<![\w+.\-/])
        (?: (?:\+\d{1,3}(?:[ .\-]?(?:\(\d{1,4}\)|\d{1,5})){1,6})
          | (?:(?:1[ .\-]?)?(?:\(\d{3}\)[ .\-]?\d{3}[ .\-]\d{4}|\d{3}(?<s>[ .\-])\d{3}\k<s>\d{4}))
          | (?:0\d{1,4}(?<t>[ .\-/])\d{2,8}(?:\k<t>\d{2,8}){0,3})
        )
        (?!\w|[.\-/]\d)
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex PhoneRegex();

    private static bool IsPhoneNumber(ReadOnlySpan<char> match)
    {
        // E.164 allows 15 digits; 8 keeps "+2024"-like scores out. National: 9–12 (NANP is 10 or 11), which keeps
        // dates such as 01.12.2023 (8 digits) out.
        var digits = CountDigits(match);
        return match[0] == '+' ? digits is >= 8 and <= 15 : digits is >= 9 and <= 12;
    }

    private static int CountDigits(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c)) count++;
        }
        return count;
    }

    /// <summary>The Luhn checksum every card number carries; random digit runs pass it only one time in ten.</summary>
    internal static bool Luhn(ReadOnlySpan<char> number)
    {
        int sum = 0, position = 0;
        for (var i = number.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(number[i])) continue;
            var d = number[i] - '0';
            if (position++ % 2 == 1)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>A regex, a placeholder, a cheap pre-check and optionally a check of each match.</summary>
    private sealed class PatternRule(string placeholder, Regex regex, Func<string, bool> mightMatch, Func<ReadOnlySpan<char>, bool>? accept = null)
        : IRedactionRule
    {
        public string Redact(string text)
        {
            if (!mightMatch(text)) return text;
            // EnumerateMatches allocates nothing, so a text whose matches are all rejected stays free too.
            StringBuilder? redacted = null;
            var copied = 0;
            foreach (var m in regex.EnumerateMatches(text))
            {
                if (accept is not null && !accept(text.AsSpan(m.Index, m.Length))) continue;
                redacted ??= new StringBuilder(text.Length);
                redacted.Append(text, copied, m.Index - copied).Append(placeholder);
                copied = m.Index + m.Length;
            }
            return redacted is null ? text : redacted.Append(text, copied, text.Length - copied).ToString();
        }

        public override string ToString() => placeholder;
    }
}
