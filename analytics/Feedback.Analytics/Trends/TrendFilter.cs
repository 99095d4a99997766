namespace Feedback.Analytics.Trends;

/// <summary>Which turns count: one project, turns whose time is in [From, To), and exact matches. Empty means any.</summary>
public sealed record TrendFilter
{
    public required string Project { get; init; }

    /// <summary>Inclusive, on the turn's time.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Exclusive.</summary>
    public required DateTimeOffset To { get; init; }

    public IReadOnlyList<string> Models { get; init; } = [];

    public IReadOnlyList<string> ModelVersions { get; init; } = [];

    public IReadOnlyList<string> PromptTemplates { get; init; } = [];

    public IReadOnlyList<string> Stages { get; init; } = [];

    /// <summary>Every key must have exactly this value.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
