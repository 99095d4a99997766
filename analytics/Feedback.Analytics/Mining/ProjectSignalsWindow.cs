namespace Feedback.Analytics.Mining;

/// <summary>
/// One project's share of a signals run (<see cref="SignalsMarks"/>): the events received after <see cref="Since"/>
/// (its mark minus the lookback); <see cref="Newest"/> is the newest of them when the run looked, its next mark.
/// </summary>
public sealed record ProjectSignalsWindow(string Project, DateTimeOffset Since, DateTimeOffset Newest)
{
    /// <summary>The project's newest review or follow-up model, when it has any: its turns are derived after it.</summary>
    public DateTimeOffset RelabelledAt { get; init; }

    /// <summary>How many events were received in the lookback before <see cref="Newest"/>: what the window holds once the mark is there.</summary>
    public ulong LookbackEvents { get; init; }
}
