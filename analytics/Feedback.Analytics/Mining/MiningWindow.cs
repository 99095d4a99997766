namespace Feedback.Analytics.Mining;

/// <summary>
/// The signals one run of a miner takes: the turns derived after <see cref="Lower"/> (the mark its last run left) and
/// up to <see cref="Upper"/> (the newest when the run started), both constants, so that the minmax index on
/// <c>turn_signals.derived_at</c> (migration 0027) skips every granule derived before the mark.
/// </summary>
public sealed record MiningWindow(DateTimeOffset Lower, DateTimeOffset Upper);
