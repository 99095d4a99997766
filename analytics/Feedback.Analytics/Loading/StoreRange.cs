namespace Feedback.Analytics.Loading;

/// <summary>Values the <c>events</c> table can hold, for rows that did not come through ingest's validation.</summary>
public static class StoreRange
{
    /// <summary>DateTime64's lower bound (1900-01-01).</summary>
    public static readonly DateTimeOffset MinTimestamp = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>DateTime64's upper bound (2299-12-31 23:59:59.999).</summary>
    public static readonly DateTimeOffset MaxTimestamp = new(2299, 12, 31, 23, 59, 59, 999, TimeSpan.Zero);
}
