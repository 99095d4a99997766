using Feedback.Analytics.Model;

namespace Feedback.Analytics.Export.Formats;

/// <summary>The lineage written next to every exported pair (docs/export.md).</summary>
public sealed record PairMeta(
    Guid PairId, string Project, string Source, float Confidence, string TurnId, IReadOnlyList<Guid> SourceEventIds,
    string Model, string ModelVersion, string UserId, DateTimeOffset CreatedAt, bool Reviewed)
{
    public static PairMeta Of(PreferencePair p) =>
        new(p.PairId, p.Project, p.Source, p.Confidence, p.TurnId, p.SourceEventIds, p.Model, p.ModelVersion, p.UserId, p.CreatedAt, p.Reviewed == 1);
}
