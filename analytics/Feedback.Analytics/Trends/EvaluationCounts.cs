namespace Feedback.Analytics.Trends;

/// <summary>One group's evaluated turns (each turn's newest result of <see cref="EvaluationName"/>).</summary>
/// <param name="ScoredTurns">Turns whose result has a score; <see cref="ScoreSum"/> sums them.</param>
/// <param name="JudgedTurns">Turns whose result says passed or failed; <see cref="FailedTurns"/> of them failed.</param>
public sealed record EvaluationCounts(
    string Key, DateTimeOffset Time, string EvaluationName, long EvaluatedTurns, long ScoredTurns, double ScoreSum,
    long JudgedTurns, long FailedTurns);
