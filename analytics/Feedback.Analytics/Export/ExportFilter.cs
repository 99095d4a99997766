using System.Globalization;

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

/// <summary>
/// A place in the export order (created_at, then id). Rows are immutable once mined, so "everything after P
/// up to Q" is always the same set of rows.
/// </summary>
public sealed record ExportPosition(DateTimeOffset CreatedAt, Guid Id)
{
    public static ExportPosition Start { get; } = new(DateTimeOffset.UnixEpoch, Guid.Empty);

    // The largest DateTime64(3) value and the largest UUID, so "up to End" never excludes a row.
    public static ExportPosition End { get; } = new(new DateTimeOffset(2299, 12, 31, 23, 59, 59, 999, TimeSpan.Zero), Guid.AllBitsSet);

    /// <summary>Text form for HTTP headers and query strings: <c>2026-11-22T10:00:10.123Z_&lt;uuid&gt;</c>.</summary>
    public override string ToString() =>
        CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + "_" + Id.ToString();

    public static ExportPosition Parse(string text)
    {
        var parts = text.Split('_', 2);
        if (parts.Length != 2) throw new FormatException("a position is <created_at>_<id>");
        return new ExportPosition(DateTimeOffset.Parse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), Guid.Parse(parts[1]));
    }
}
