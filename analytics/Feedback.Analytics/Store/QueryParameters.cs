using System.Collections;
using System.Globalization;
using System.Text;

namespace Feedback.Analytics.Store;

/// <summary>
/// Turns an anonymous object (<c>new { project = "p" }</c>) or a dictionary of names and values (for queries
/// that assemble their parameters from parts) into ClickHouse query parameters, each value in the text form the
/// engine parses for a <c>{name:Type}</c> placeholder.
/// </summary>
public static class QueryParameters
{
    public static IReadOnlyList<KeyValuePair<string, string>> From(object? parameters) =>
        Named(parameters).Select(p => KeyValuePair.Create(p.Key, Format(p.Value, topLevel: true))).ToList();

    /// <summary>The parameters' names and values, from an anonymous object's properties or a dictionary.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Named(object? parameters) => parameters switch
    {
        null => [],
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs,
        _ => parameters.GetType().GetProperties().Select(p => KeyValuePair.Create(p.Name, p.GetValue(parameters))),
    };

    public static string Format(object? value, bool topLevel) => value switch
    {
        null => topLevel ? "\\N" : "NULL",
        string s => topLevel ? Escape(s) : Quote(s),
        Guid g => topLevel ? g.ToString() : Quote(g.ToString()),
        DateTimeOffset d => Timestamp(d.UtcDateTime, topLevel),
        DateTime d => Timestamp(d.ToUniversalTime(), topLevel),
        bool b => b ? "1" : "0",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(i => Format(i, topLevel: false))) + "]",
        _ => throw new ArgumentException($"cannot pass a {value.GetType().Name} as a query parameter"),
    };

    private static string Timestamp(DateTime utc, bool topLevel)
    {
        var text = utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return topLevel ? text : Quote(text);
    }

    // Top-level parameter values are read in ClickHouse's Escaped text format.
    private static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny("\\\t\n\r\0") < 0) return s;
        var sb = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                '\0' => "\\0",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    private static string Quote(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
