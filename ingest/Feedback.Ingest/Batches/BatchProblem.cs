namespace Feedback.Ingest.Batches;

/// <summary>A whole-request failure, answered as ProblemDetails.</summary>
public sealed record BatchProblem(int Status, string Title, string Detail);
