namespace Feedback.Analytics.Reading;

/// <summary>
/// What makes a turn positive, negative or one with any feedback at all, as ClickHouse expressions over a
/// <c>turn_signals</c> row (docs/read-api.md, "Positive and negative"). One definition for every read query.
/// </summary>
public static class TurnPolarity
{
    /// <summary>The reactions add up positive, or the user's next message was thanks or praise.</summary>
    public const string Positive = "(reaction_polarity > 0 OR follow_up_label = 'positive')";

    /// <summary>The reactions add up negative, or the user's next message rephrased, corrected or complained.</summary>
    public const string Negative = "(reaction_polarity < 0 OR follow_up_label IN ('rephrase', 'correction', 'complaint'))";

    /// <summary>Any event besides the turn itself: a reaction, edit, follow-up, regenerate, choice or copy.</summary>
    public const string Any = "(event_count > 1)";

    public const string SignalAny = "any";
    public const string SignalPositive = "positive";
    public const string SignalNegative = "negative";

    public static IReadOnlyList<string> Signals { get; } = [SignalAny, SignalPositive, SignalNegative];
}
