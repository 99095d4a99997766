namespace Feedback.Analytics.Mining;

/// <summary>What one <see cref="MiningJob"/> run did.</summary>
public sealed record MiningResult
{
    /// <summary>No event arrived since the last run completed, so this run did nothing.</summary>
    public bool NothingNew { get; init; }

    /// <summary>New pairs per source (<see cref="IPairMiner.Source"/>), in the order the miners ran.</summary>
    public IReadOnlyDictionary<string, int> Pairs { get; init; } = new Dictionary<string, int>();

    public int TotalPairs => Pairs.Values.Sum();

    /// <summary>Turns whose signals were (re-)derived.</summary>
    public int TurnSignals { get; init; }

    /// <summary>Turns whose unpaired label was (re-)written.</summary>
    public int TurnLabels { get; init; }

    /// <summary>Turns scored by the reaction predictor.</summary>
    public int TurnsScored { get; init; }

    /// <summary>Follow-ups labelled by the app's LLM (<see cref="Reviews.ChatClientFollowUpLabeler"/>); 0 when it is not configured.</summary>
    public int LabelledByLlm { get; init; }
}
