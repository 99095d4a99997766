namespace Feedback.Analytics.Mining.Predictor;

/// <summary>What is known when an answer is given (the predictor's input).</summary>
public sealed record Answer(string ConversationId, string Request, string Response, string Model, string ModelVersion);
