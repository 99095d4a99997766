using Feedback.Analytics.Model;

namespace Feedback.Analytics.Export;

/// <summary>The lineage written next to every KTO row (docs/export.md).</summary>
public sealed record LabelMeta(
    Guid LabelId, string Project, string Source, IReadOnlyList<string> Signals, float Confidence, string TurnId,
    IReadOnlyList<Guid> SourceEventIds, string Model, string ModelVersion, string UserId, DateTimeOffset CreatedAt, bool Reviewed)
{
    public static LabelMeta Of(TurnLabel l) =>
        new(l.LabelId, l.Project, l.Source, l.Signals, l.Confidence, l.TurnId, l.SourceEventIds, l.Model, l.ModelVersion, l.UserId, l.CreatedAt, l.Reviewed == 1);
}
