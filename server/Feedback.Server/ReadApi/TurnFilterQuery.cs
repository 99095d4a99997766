using System.ComponentModel.DataAnnotations;
using Feedback.Analytics.Trends;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Feedback.Server.ReadApi;

/// <summary>
/// The common filters of the read API (docs/read-api.md): time range and exact matches. Bad values are
/// validation errors, so the API answers 400 ProblemDetails with the reason before any query runs.
/// </summary>
public abstract class TurnFilterQuery : IValidatableObject
{
    /// <summary>The range when none is given: the last 30 days.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    [FromQuery(Name = "from")] public DateTimeOffset? From { get; set; }
    [FromQuery(Name = "to")] public DateTimeOffset? To { get; set; }
    [FromQuery(Name = "model")] public string[] Models { get; set; } = [];
    [FromQuery(Name = "model_version")] public string[] ModelVersions { get; set; } = [];
    [FromQuery(Name = "prompt_template")] public string[] PromptTemplates { get; set; } = [];
    [FromQuery(Name = "stage")] public string[] Stages { get; set; } = [];

    /// <summary><c>metadata.&lt;key&gt;=&lt;value&gt;</c> parameters; see <see cref="WithMetadataFrom"/>.</summary>
    [BindNever] public Dictionary<string, string> Metadata { get; set; } = [];

    public (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset now)
    {
        var to = To ?? now;
        return (From ?? to - DefaultRange, to);
    }

    public TrendFilter ToFilter(string project, DateTimeOffset now)
    {
        var (from, to) = Range(now);
        return new TrendFilter
        {
            Project = project,
            From = from,
            To = to,
            Models = Models,
            ModelVersions = ModelVersions,
            PromptTemplates = PromptTemplates,
            Stages = Stages,
            Metadata = Metadata,
        };
    }

    /// <summary>Takes the <c>metadata.&lt;key&gt;</c> parameters of a query string (their keys are not known in advance).</summary>
    public void WithMetadataFrom(IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (name.StartsWith(TrendField.MetadataPrefix, StringComparison.Ordinal) && name.Length > TrendField.MetadataPrefix.Length)
                Metadata[name[TrendField.MetadataPrefix.Length..]] = values.ToString();
        }
    }

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var (from, to) = Range(Now(validationContext));
        if (from >= to) yield return new ValidationResult("from must be before to", ["from"]);
    }

    protected static DateTimeOffset Now(ValidationContext context) =>
        ((TimeProvider?)context.GetService(typeof(TimeProvider)) ?? TimeProvider.System).GetUtcNow();

}
