using System.Globalization;
using System.Text.RegularExpressions;

namespace Feedback.Analytics.Store;

/// <summary>An error reported by the ClickHouse engine, with its text as the engine wrote it.</summary>
public sealed partial class ClickHouseException(string message, Exception? inner = null) : Exception(message, inner)
{
    // Codes meaning "this data cannot go into this table", as opposed to "the store has a problem right now".
    private static readonly HashSet<int> DataErrors =
    [
        6, 26, 27, 38, 41, 53, 69, 70, 72, 117, 131, 158, 173, 206, 641,
    ];

    /// <summary>The ClickHouse error code (<c>Code: N.</c> in the text), or 0 when none is given.</summary>
    public int Code => CodePattern().Match(Message) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    /// <summary>The rows themselves are at fault (unparseable, wrong type, out of range): retrying cannot help.</summary>
    public bool IsDataError => DataErrors.Contains(Code) || IsTooManyPartitionsForOneInsert;

    // Code 252 (TOO_MANY_PARTS) also means "merges are behind", an outage that passes; only the one-block
    // partition limit is about the rows, and inserting them in smaller blocks gets them in.
    private bool IsTooManyPartitionsForOneInsert =>
        Code == 252 && Message.Contains("partitions for single INSERT block", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"Code: (\d+)\.")]
    private static partial Regex CodePattern();
}
