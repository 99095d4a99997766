namespace Feedback.Analytics.Export;

/// <summary>Where KTO rows come from: the unpaired labels (<see cref="TurnLabelReader"/>).</summary>
public interface IKtoRowSource
{
    /// <summary>The rows the filter selects, in position order.</summary>
    IAsyncEnumerable<KtoRow> ReadAsync(ExportFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The position of the last row the filter selects, or null when it selects none.</summary>
    Task<ExportPosition?> LastAsync(ExportFilter filter, CancellationToken cancellationToken = default);
}
