using System.Text.Json.Serialization;
using Feedback.Analytics.Model;

namespace Feedback.Analytics.Export.Formats;

/// <summary>A Parquet row: prompt, chosen, rejected and the meta fields as flat columns.</summary>
public sealed class ParquetPairRow
{
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
    [JsonPropertyName("chosen")] public string Chosen { get; set; } = "";
    [JsonPropertyName("rejected")] public string Rejected { get; set; } = "";
    [JsonPropertyName("pair_id")] public string PairId { get; set; } = "";
    [JsonPropertyName("project")] public string Project { get; set; } = "";
    [JsonPropertyName("source")] public string Source { get; set; } = "";
    [JsonPropertyName("confidence")] public float Confidence { get; set; }
    [JsonPropertyName("turn_id")] public string TurnId { get; set; } = "";
    [JsonPropertyName("source_event_ids")] public List<string> SourceEventIds { get; set; } = [];
    [JsonPropertyName("model")] public string Model { get; set; } = "";
    [JsonPropertyName("model_version")] public string ModelVersion { get; set; } = "";
    [JsonPropertyName("user_id")] public string UserId { get; set; } = "";
    [JsonPropertyName("created_at")] public DateTime CreatedAt { get; set; }
    [JsonPropertyName("reviewed")] public bool Reviewed { get; set; }

    public static ParquetPairRow Of(PreferencePair p) => new()
    {
        Prompt = PromptText.Render(p.Prompt),
        Chosen = p.Chosen,
        Rejected = p.Rejected,
        PairId = p.PairId.ToString(),
        Project = p.Project,
        Source = p.Source,
        Confidence = p.Confidence,
        TurnId = p.TurnId,
        SourceEventIds = p.SourceEventIds.Select(id => id.ToString()).ToList(),
        Model = p.Model,
        ModelVersion = p.ModelVersion,
        UserId = p.UserId,
        CreatedAt = p.CreatedAt.UtcDateTime,
        Reviewed = p.Reviewed == 1,
    };
}
