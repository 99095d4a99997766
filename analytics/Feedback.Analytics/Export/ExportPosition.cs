using System.Globalization;

namespace Feedback.Analytics.Export;

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
