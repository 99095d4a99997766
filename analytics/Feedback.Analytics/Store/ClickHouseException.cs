using System.Globalization;
using System.Text.RegularExpressions;

namespace Feedback.Analytics.Store;

/// <summary>An error reported by the ClickHouse engine, with its text as the engine wrote it.</summary>
public sealed partial class ClickHouseException(string message) : Exception(message)
{
    /// <summary>The ClickHouse error code ("Code: 62." is 62), or 0 when the text carries none.</summary>
    public int Code { get; } = CodeOf(message);

    private static int CodeOf(string message) =>
        CodePattern().Match(message) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"Code: (\d+)\.")]
    private static partial Regex CodePattern();
}
