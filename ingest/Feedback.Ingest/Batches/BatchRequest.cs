namespace Feedback.Ingest.Batches;

/// <summary>The request body of <c>POST /v1/batch</c> (documentation only: the body is read by hand, see BatchReader).</summary>
public sealed record BatchRequest(IReadOnlyList<Feedback.Events.FeedbackEvent> Events);
