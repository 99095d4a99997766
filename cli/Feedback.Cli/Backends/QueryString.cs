using System.Globalization;
using System.Reflection;
using Feedback.Analytics.Trends;
using Feedback.Server.ReadApi;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Cli.Backends;

/// <summary>
/// The query string of a <c>/v1</c> query object, read off the same <c>[FromQuery(Name = …)]</c> attributes the
/// server binds it with, so the names are declared once.
/// </summary>
public static class QueryString
{
    public static string Of(string project, object query)
    {
        var parts = new List<string> { Part("project", project) };
        foreach (var property in query.GetType().GetProperties())
        {
            if (property.GetCustomAttribute<FromQueryAttribute>()?.Name is not { } name) continue;
            switch (property.GetValue(query))
            {
                case null:
                    break;
                case string text:
                    parts.Add(Part(name, text));
                    break;
                case IEnumerable<string> values:
                    parts.AddRange(values.Select(v => Part(name, v)));
                    break;
                case DateTimeOffset time:
                    parts.Add(Part(name, time.ToString("O", CultureInfo.InvariantCulture)));
                    break;
                case bool flag:
                    parts.Add(Part(name, flag ? "true" : "false"));
                    break;
                case IFormattable number:
                    parts.Add(Part(name, number.ToString(null, CultureInfo.InvariantCulture)));
                    break;
            }
        }
        // metadata.<key>=<value>: keys not known in advance, so not a bound property.
        if (query is TurnFilterQuery filter)
            parts.AddRange(filter.Metadata.Select(m => Part(TrendField.MetadataPrefix + m.Key, m.Value)));
        return string.Join("&", parts);
    }

    private static string Part(string name, string value) => Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
}
