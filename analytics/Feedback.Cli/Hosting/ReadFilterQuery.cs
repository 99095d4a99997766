using System.Globalization;
using Feedback.Analytics.Reading;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Cli.Hosting;

/// <summary>
/// The parameters every read endpoint shares (docs/read-api.md): <c>from</c>, <c>to</c> (default: the last 30
/// days) and the common filters, including <c>metadata.&lt;key&gt;=&lt;value&gt;</c>, which MVC cannot bind by
/// name, so they are read from the query string.
/// </summary>
public sealed class ReadFilterQuery
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    [FromQuery(Name = "from")] public DateTimeOffset? From { get; set; }
    [FromQuery(Name = "to")] public DateTimeOffset? To { get; set; }
    [FromQuery(Name = "model")] public string? Model { get; set; }
    [FromQuery(Name = "model_version")] public string? ModelVersion { get; set; }
    [FromQuery(Name = "prompt_template")] public string? PromptTemplate { get; set; }
    [FromQuery(Name = "stage")] public string? Stage { get; set; }

    /// <summary>The filter for <paramref name="project"/>, or the reason the parameters are refused.</summary>
    public (TurnFilter? Filter, string? Error) ToFilter(string project, IQueryCollection query, DateTimeOffset now)
    {
        var to = To ?? now;
        var from = From ?? to - DefaultRange;
        if (from >= to) return (null, "from must be before to");
        var matches = new List<KeyValuePair<string, string>>();
        foreach (var (field, value) in new[]
        {
            (TurnField.Model, Model), (TurnField.ModelVersion, ModelVersion),
            (TurnField.PromptTemplate, PromptTemplate), (TurnField.Stage, Stage),
        })
        {
            if (value is not null) matches.Add(KeyValuePair.Create(field, value));
        }
        foreach (var (name, values) in query)
        {
            if (TurnField.MetadataKey(name) is null) continue;
            matches.AddRange(values.Select(v => KeyValuePair.Create(name, v ?? "")));
        }
        return (new TurnFilter { Project = project, From = from, To = to, Matches = matches }, null);
    }

    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
