namespace Feedback.Analytics.Reading;

/// <summary>
/// Which turns a read query looks at (docs/read-api.md, "Common filters"): a project, a time range of the turns'
/// timestamps (from inclusive, to exclusive) and exact matches on turn fields. Several matches on one field all
/// have to hold (e.g. <c>model=a</c> together with the drill-down <c>by=model&amp;key=a</c>).
/// </summary>
public sealed record TurnFilter
{
    public required string Project { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    /// <summary>Exact matches, by <see cref="TurnField"/> name (a column or <c>metadata.&lt;key&gt;</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Matches { get; init; } = [];

    /// <summary>
    /// The WHERE conditions over the <c>events</c> columns of a turn (ClickHouse SQL, parameters from
    /// <see cref="Parameters"/>). Fixed text whatever the matches, so the same statement serves every filter.
    /// </summary>
    public const string Sql = """
        project = {project:String}
          AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}
          AND arrayAll(v -> model = v, {match_model:Array(String)})
          AND arrayAll(v -> model_version = v, {match_model_version:Array(String)})
          AND arrayAll(v -> prompt_template = v, {match_prompt_template:Array(String)})
          AND arrayAll(v -> stage = v, {match_stage:Array(String)})
          AND arrayAll((k, v) -> metadata[k] = v, {match_metadata_keys:Array(String)}, {match_metadata_values:Array(String)})
        """;

    public IReadOnlyList<string> ValuesOf(string field) =>
        Matches.Where(m => m.Key == field).Select(m => m.Value).ToList();

    private IEnumerable<KeyValuePair<string, string>> MetadataMatches =>
        Matches.Where(m => TurnField.MetadataKey(m.Key) is not null);

    /// <summary>The parameters of <see cref="Sql"/>, to merge with a query's own.</summary>
    public Dictionary<string, object?> Parameters() => new()
    {
        ["project"] = Project,
        ["from"] = From,
        ["to"] = To,
        ["match_model"] = ValuesOf(TurnField.Model),
        ["match_model_version"] = ValuesOf(TurnField.ModelVersion),
        ["match_prompt_template"] = ValuesOf(TurnField.PromptTemplate),
        ["match_stage"] = ValuesOf(TurnField.Stage),
        ["match_metadata_keys"] = MetadataMatches.Select(m => TurnField.MetadataKey(m.Key)!).ToList(),
        ["match_metadata_values"] = MetadataMatches.Select(m => m.Value).ToList(),
    };
}

/// <summary>The turn fields a read query can filter or break down by.</summary>
public static class TurnField
{
    public const string Model = "model";
    public const string ModelVersion = "model_version";
    public const string PromptTemplate = "prompt_template";
    public const string Stage = "stage";
    public const string MetadataPrefix = "metadata.";

    public static IReadOnlyList<string> Columns { get; } = [Model, ModelVersion, PromptTemplate, Stage];

    /// <summary>The metadata key of <c>metadata.&lt;key&gt;</c>, or null for any other name.</summary>
    public static string? MetadataKey(string field) =>
        field.StartsWith(MetadataPrefix, StringComparison.Ordinal) && field.Length > MetadataPrefix.Length
            ? field[MetadataPrefix.Length..]
            : null;

    public static bool IsValid(string field) => Columns.Contains(field) || MetadataKey(field) is not null;
}
