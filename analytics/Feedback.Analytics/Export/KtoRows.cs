using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Export;

/// <summary>One KTO example: a prompt, one completion and whether it was desirable.</summary>
public sealed record KtoRow(IReadOnlyList<RequestMessage> Prompt, string Completion, bool Label, LabelMeta Meta, ExportPosition Position);

/// <summary>Where KTO rows come from: the unpaired labels (<see cref="TurnLabelReader"/>).</summary>
public interface IKtoRowSource
{
    /// <summary>The rows the filter selects, in position order.</summary>
    IAsyncEnumerable<KtoRow> ReadAsync(ExportFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The position of the last row the filter selects, or null when it selects none.</summary>
    Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default);
}

/// <summary>
/// Reads the turns with a clear label from <c>turn_labels</c> (one KTO row each), oldest first by
/// (created_at, label_id), a page at a time. The filters mean what they mean for pairs; <c>source</c> is the
/// label's source (reaction, edit, regenerate, copy, follow_up).
/// </summary>
public sealed class TurnLabelReader(IClickHouse store) : IKtoRowSource
{
    // Conflicting labels (0) are never exported; a desirable label can be held back by the reaction predictor.
    private const string ClearAndPredicted = """

          AND label != 0
          AND (label < 0 OR turn_id NOT IN (SELECT turn_id FROM turn_predictions FINAL
              WHERE project = {project:String} AND p_positive < {min_predicted_positive:Nullable(Float32)}))
        """;

    private readonly KeysetPages<TurnLabel> labels = new(store, "turn_labels", "label_id", l => new ExportPosition(l.CreatedAt, l.LabelId), ClearAndPredicted);

    public async IAsyncEnumerable<KtoRow> ReadAsync(
        ExportFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var label in labels.ReadAsync(filter, cancellationToken).ConfigureAwait(false))
            yield return new KtoRow(label.Prompt, label.Completion, label.Label > 0, LabelMeta.Of(label), new ExportPosition(label.CreatedAt, label.LabelId));
    }

    public Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default) =>
        labels.LastAsync(filter, cancellationToken);
}

/// <summary>The lineage written next to every KTO row (docs/export.md).</summary>
public sealed record LabelMeta(
    Guid LabelId, string Project, string Source, IReadOnlyList<string> Signals, float Confidence, string TurnId,
    IReadOnlyList<Guid> SourceEventIds, string Model, string ModelVersion, string UserId, DateTimeOffset CreatedAt)
{
    public static LabelMeta Of(TurnLabel l) =>
        new(l.LabelId, l.Project, l.Source, l.Signals, l.Confidence, l.TurnId, l.SourceEventIds, l.Model, l.ModelVersion, l.UserId, l.CreatedAt);
}

/// <summary>The lineage written next to every exported pair (docs/export.md).</summary>
public sealed record PairMeta(
    Guid PairId, string Project, string Source, float Confidence, string TurnId, IReadOnlyList<Guid> SourceEventIds,
    string Model, string ModelVersion, string UserId, DateTimeOffset CreatedAt)
{
    public static PairMeta Of(Mining.PreferencePair p) =>
        new(p.PairId, p.Project, p.Source, p.Confidence, p.TurnId, p.SourceEventIds, p.Model, p.ModelVersion, p.UserId, p.CreatedAt);
}
