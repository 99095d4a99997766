using Feedback.Analytics.Export.Formats;
using Feedback.Analytics.Store;

namespace Feedback.Analytics.Export;

/// <summary>
/// Writes all of a project's pairs as JSON Lines in TRL's DPO "standard" shape (what plain <c>feedback export</c>
/// does). The formats, filters and watermarks are in <see cref="PairExport"/>.
/// </summary>
public sealed class DpoExport(IClickHouse store)
{
    private readonly PairExport export = new(store);

    /// <summary>Writes every pair of the project; returns how many.</summary>
    public Task<int> WriteAsync(string project, Stream output, CancellationToken cancellationToken = default) =>
        export.WriteAsync(DpoFormat.Name, new ExportFilter { Project = project }, output, cancellationToken: cancellationToken);
}
