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
    public bool IsDataError => DataErrors.Contains(Code);

    [GeneratedRegex(@"Code: (\d+)\.")]
    private static partial Regex CodePattern();
}
