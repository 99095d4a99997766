namespace Feedback.Analytics.Mining.Predictor;

/// <summary>An answer with an explicit reaction: positive or not (training data).</summary>
public sealed record ReactedAnswer(Answer Answer, bool Positive);
