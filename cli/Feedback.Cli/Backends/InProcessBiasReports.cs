using Feedback.Analytics.Export;
using Feedback.Analytics.Store;

namespace Feedback.Cli.Backends;

public sealed class InProcessBiasReports(IClickHouse store) : IBiasReports
{
    public async Task<string> MarkdownAsync(string project, CancellationToken cancellationToken) =>
        (await new BiasReport(store).BuildAsync(project, cancellationToken)).ToMarkdown();
}
