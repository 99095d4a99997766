namespace Feedback.Ingest.Batches;

/// <summary>The answer to a batch: per event, in request order, whether it was accepted and if not why.</summary>
public sealed record BatchResult(int Accepted, int Rejected, IReadOnlyList<EventResult> Results);
