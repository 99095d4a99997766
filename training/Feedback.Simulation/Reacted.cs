namespace Feedback.Simulation;

/// <summary>The explicit reaction a simulated turn got.</summary>
public enum Reacted
{
    None,
    Positive,
    Negative,
    PositiveRating,
    NegativeRating,
}
