using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Feedback.Analytics.Trends;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Feedback.Cli.Hosting;

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

    /// <summary>The query string for these filters (the CLI builds its admin calls with it).</summary>
    public virtual IEnumerable<string> QueryParts()
    {
        if (From is { } from) yield return Part("from", from.ToString("O", CultureInfo.InvariantCulture));
        if (To is { } to) yield return Part("to", to.ToString("O", CultureInfo.InvariantCulture));
        foreach (var m in Models) yield return Part("model", m);
        foreach (var m in ModelVersions) yield return Part("model_version", m);
        foreach (var t in PromptTemplates) yield return Part("prompt_template", t);
        foreach (var s in Stages) yield return Part("stage", s);
        foreach (var (key, value) in Metadata) yield return Part(TrendField.MetadataPrefix + key, value);
    }

    public string ToQueryString() => string.Join("&", QueryParts());

    protected static string Part(string name, string value) => Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
}

/// <summary>The query string of <c>GET /v1/trends</c>.</summary>
public sealed class TrendsQuery : TurnFilterQuery
{
    /// <summary>More buckets than this per series is refused: an hourly trend over years is a mistake, not a chart.</summary>
    public const int MaxBuckets = 10_000;

    [FromQuery(Name = "interval")] public string IntervalName { get; set; } = TrendInterval.Day.Name;

    public TrendInterval Interval => TrendInterval.Parse(IntervalName) ?? TrendInterval.Day;
    [FromQuery(Name = "by")] public string? By { get; set; }

    public TrendField? Breakdown => By is null ? null : TrendField.Parse(By);

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext)) yield return result;
        if (TrendInterval.Parse(IntervalName) is null)
        {
            yield return new ValidationResult($"interval is one of {string.Join(", ", TrendInterval.All.Select(i => i.Name))}", ["interval"]);
        }
        else
        {
            var (from, to) = Range(Now(validationContext));
            var width = Interval.Step;
            if ((to - from) / width > MaxBuckets) yield return new ValidationResult($"at most {MaxBuckets} {IntervalName}s: narrow the range or widen the interval", ["interval"]);
        }
        if (By is not null && Breakdown is null) yield return new ValidationResult($"by is {TrendField.Choices}", ["by"]);
    }

    public override IEnumerable<string> QueryParts() =>
        base.QueryParts().Append(Part("interval", IntervalName)).Concat(By is null ? [] : [Part("by", By)]);
}

/// <summary>The query string of <c>GET /v1/compare</c>.</summary>
public sealed class CompareQuery : TurnFilterQuery
{
    [FromQuery(Name = "field")] public string Field { get; set; } = TrendField.ModelVersion.Name;
    [FromQuery(Name = "a")] public string? A { get; set; }
    [FromQuery(Name = "b")] public string? B { get; set; }
    [FromQuery(Name = "confidence")] public double Confidence { get; set; } = 0.95;

    public TrendField? Compared => TrendField.Parse(Field);

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext)) yield return result;
        if (Compared is null) yield return new ValidationResult($"field is {TrendField.Choices}", ["field"]);
        if (A is null || B is null) yield return new ValidationResult("a and b (the two values to compare) are required", ["a", "b"]);
        else if (A == B) yield return new ValidationResult("a and b must differ", ["b"]);
        if (Confidence is <= 0 or >= 1 || double.IsNaN(Confidence)) yield return new ValidationResult("confidence is between 0 and 1, e.g. 0.95", ["confidence"]);
    }

    public override IEnumerable<string> QueryParts() =>
        base.QueryParts()
            .Append(Part("field", Field))
            .Concat(A is null ? [] : [Part("a", A)])
            .Concat(B is null ? [] : [Part("b", B)])
            .Append(Part("confidence", Confidence.ToString("R", CultureInfo.InvariantCulture)));
}
