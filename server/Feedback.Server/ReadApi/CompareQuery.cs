using System.ComponentModel.DataAnnotations;
using Feedback.Analytics.Trends;
using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

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

}
