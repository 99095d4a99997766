using Feedback.Analytics.Mining;
using Feedback.Events;

namespace Feedback.Analytics.Export;

/// <summary>One KTO example: a prompt, one completion and whether it was desirable.</summary>
public sealed record KtoRow(IReadOnlyList<RequestMessage> Prompt, string Completion, bool Label, PairMeta Meta, ExportPosition Position);

/// <summary>
/// Where KTO rows come from. For now they are derived from pairs (<see cref="PairKtoRows"/>); an unpaired-labels
/// table (a thumbs-up or -down with no alternative) will feed KTO through another implementation.
/// </summary>
public interface IKtoRowSource
{
    /// <summary>The rows the filter selects, in position order.</summary>
    IAsyncEnumerable<KtoRow> ReadAsync(ExportFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The position of the last row the filter selects, or null when it selects none.</summary>
    Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default);
}

/// <summary>Each pair gives two KTO rows: chosen (label true), then rejected (label false).</summary>
public sealed class PairKtoRows(PairReader pairs) : IKtoRowSource
{
    public async IAsyncEnumerable<KtoRow> ReadAsync(
        ExportFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var pair in pairs.ReadAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            var meta = PairMeta.Of(pair);
            var position = new ExportPosition(pair.CreatedAt, pair.PairId);
            yield return new KtoRow(pair.Prompt, pair.Chosen, true, meta, position);
            yield return new KtoRow(pair.Prompt, pair.Rejected, false, meta, position);
        }
    }

    public Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default) =>
        pairs.LastAsync(filter, cancellationToken);
}

/// <summary>The lineage written next to every exported row (docs/export.md).</summary>
public sealed record PairMeta(
    Guid PairId, string Project, string Source, float Confidence, string TurnId, IReadOnlyList<Guid> SourceEventIds,
    string Model, string ModelVersion, string UserId, DateTimeOffset CreatedAt)
{
    public static PairMeta Of(PreferencePair p) =>
        new(p.PairId, p.Project, p.Source, p.Confidence, p.TurnId, p.SourceEventIds, p.Model, p.ModelVersion, p.UserId, p.CreatedAt);
}
