using Feedback.Events;

namespace Feedback.Analytics.Model;

/// <summary>One row of <c>turn_labels</c> (Schema/Migrations/0010): a turn's unpaired label with its lineage.</summary>
public sealed record TurnLabel(
    string Project, string TurnId, Guid LabelId, sbyte Label, float Confidence, string Source, IReadOnlyList<string> Signals,
    IReadOnlyList<RequestMessage> Prompt, string Completion, IReadOnlyList<Guid> SourceEventIds,
    string Model, string ModelVersion, string UserId, DateTimeOffset SignalsDerivedAt, DateTimeOffset CreatedAt, DateTimeOffset LabelledAt)
{
    /// <summary>1 when a person reviewed the follow-up that voted for the label (docs/reviews.md).</summary>
    public byte Reviewed { get; init; }
}
