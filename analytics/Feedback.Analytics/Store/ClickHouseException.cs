namespace Feedback.Analytics.Store;

/// <summary>An error reported by the ClickHouse engine, with its text as the engine wrote it.</summary>
public sealed class ClickHouseException(string message) : Exception(message);
