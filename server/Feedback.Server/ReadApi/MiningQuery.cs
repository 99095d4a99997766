using Microsoft.AspNetCore.Mvc;

namespace Feedback.Server.ReadApi;

/// <summary>The query string of <c>GET /v1/mining</c>: the turns' range, and the export filters its counts use.</summary>
public sealed class MiningQuery
{
    [FromQuery(Name = "from")] public DateTimeOffset? From { get; set; }
    [FromQuery(Name = "to")] public DateTimeOffset? To { get; set; }
    [FromQuery(Name = "min_confidence")] public float MinConfidence { get; set; }
    [FromQuery(Name = "source")] public string[] Sources { get; set; } = [];
}
