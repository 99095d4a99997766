using Feedback.Analytics.Export;
using Feedback.Analytics.Store;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Backends;

public sealed class InProcessExporter(IClickHouse store) : IExporter
{
    public async Task<int> ExportAsync(string project, ExportQuery query, string path, bool showProgress, CancellationToken cancellationToken)
    {
        var export = new PairExport(store);
        var watermarks = new ExportWatermarks(store, TimeProvider.System);
        var filter = query.ToFilter(project);
        ExportPosition? next = null;
        if (query.Watermark is { } name) (filter, next) = await watermarks.PlanAsync(export, query.Format, filter, name, cancellationToken);
        return await ExportFile.WriteAsync(
            path,
            file => export.WriteAsync(query.Format, filter, file, showProgress ? new ConsoleProgress("rows") : null, cancellationToken),
            async () =>
            {
                if (query.Watermark is { } name && next is not null) await watermarks.AdvanceAsync(project, name, next, cancellationToken);
            });
    }
}
