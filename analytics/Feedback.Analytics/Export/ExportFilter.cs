namespace Feedback.Analytics.Export;

/// <summary>Which pairs an export takes. Empty lists and nulls mean "any".</summary>
public sealed record ExportFilter
{
    public required string Project { get; init; }

    /// <summary>Inclusive lower bound on created_at.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive upper bound on created_at: the cut-off of a watermarked run.</summary>
    public DateTimeOffset? To { get; init; }

    public IReadOnlyList<string> Models { get; init; } = [];

    public IReadOnlyList<string> ModelVersions { get; init; } = [];

    public IReadOnlyList<string> Sources { get; init; } = [];

    public float MinConfidence { get; init; }

    /// <summary>Only rows a person reviewed (docs/reviews.md): labels and follow-up pairs resting on a reviewed follow-up.</summary>
    public bool ReviewedOnly { get; init; }

    // Noise and bias controls (docs/export.md, "Noise and bias controls").

    /// <summary>KTO: desirable rows whose turn was scored by the reaction predictor need at least this P[positive].</summary>
    public float? MinPredictedPositive { get; init; }

    /// <summary>At most this many rows per user in one export (0: no cap).</summary>
    public int MaxPerUser { get; init; } = DefaultMaxPerUser;

    public const int DefaultMaxPerUser = 1000;

    /// <summary>At most this many rows per model version in one export (0: no cap): balances versions.</summary>
    public int MaxPerModelVersion { get; init; }

    /// <summary>Drop rows equal to an earlier one after normalisation (prompt, chosen, rejected / completion, label).</summary>
    public bool Deduplicate { get; init; }

    /// <summary>Pairs: as many with the chosen answer longer as with it shorter than the rejected one.</summary>
    public bool LengthBalanced { get; init; }

    /// <summary>Leave out the users <see cref="OutlierUsers"/> flags.</summary>
    public bool ExcludeOutlierUsers { get; init; }

    /// <summary>Only rows strictly after this position (a watermark).</summary>
    public ExportPosition After { get; init; } = ExportPosition.Start;

    /// <summary>Only rows up to and including this position (fixed at the start of a watermarked run).</summary>
    public ExportPosition UpTo { get; init; } = ExportPosition.End;
}
