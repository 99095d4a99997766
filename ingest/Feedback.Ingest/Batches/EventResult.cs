namespace Feedback.Ingest.Batches;

/// <param name="Index">Position of the event in the request's <c>events</c> array.</param>
/// <param name="EventId">The event's id, when it could be read.</param>
/// <param name="Status"><c>accepted</c> or <c>rejected</c>.</param>
/// <param name="Reason">Why the event was rejected; resending it unchanged will not help.</param>
public sealed record EventResult(int Index, Guid? EventId, string Status, string? Reason = null)
{
    public const string AcceptedStatus = "accepted";
    public const string RejectedStatus = "rejected";
}
