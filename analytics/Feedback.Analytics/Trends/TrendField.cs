namespace Feedback.Analytics.Trends;

/// <summary>
/// What turns are broken down or compared by: a column of <c>turn_signals</c> (<c>model</c>, <c>model_version</c>,
/// <c>prompt_template</c>, <c>stage</c>) or a metadata key (<c>metadata.&lt;key&gt;</c>). Only these reach SQL.
/// </summary>
public sealed record TrendField
{
    public const string MetadataPrefix = "metadata.";

    public static IReadOnlyList<string> Columns { get; } = ["model", "model_version", "prompt_template", "stage"];

    private TrendField(string name, string? metadataKey)
    {
        Name = name;
        MetadataKey = metadataKey;
    }

    /// <summary>As given: <c>model_version</c> or <c>metadata.locale</c>.</summary>
    public string Name { get; }

    /// <summary>The metadata key, or null for a column.</summary>
    public string? MetadataKey { get; }

    /// <summary>The statements' parameter <c>by</c>: the column's name, or <c>metadata</c> (the key is <c>field_key</c>).</summary>
    internal string Kind => MetadataKey is null ? Name : "metadata";

    public static TrendField ModelVersion { get; } = new("model_version", null);

    /// <summary>Parses a field name; null when it is not one (the message says what is).</summary>
    public static TrendField? Parse(string text) =>
        Columns.Contains(text) ? new TrendField(text, null)
        : text.StartsWith(MetadataPrefix, StringComparison.Ordinal) && text.Length > MetadataPrefix.Length
            ? new TrendField(text, text[MetadataPrefix.Length..])
            : null;

    public const string Choices = "model, model_version, prompt_template, stage or metadata.<key>";
}
