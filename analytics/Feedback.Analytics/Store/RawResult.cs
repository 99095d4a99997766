namespace Feedback.Analytics.Store;

/// <summary>What a statement returned: its output bytes and the engine's counters.</summary>
public sealed record RawResult(byte[] Output, QueryStatistics Statistics);
