namespace Feedback.Analytics.Store;

/// <summary>The engine's counters for one statement (the numbers of ClickHouse's X-ClickHouse-Summary).</summary>
public sealed record QueryStatistics(
    ulong ReadRows, ulong ReadBytes, ulong WrittenRows, ulong WrittenBytes, ulong ResultRows, ulong ResultBytes, TimeSpan Elapsed);
