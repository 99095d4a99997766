namespace Feedback.Cli.Backends;

/// <summary>A project's bias report as Markdown (<c>feedback report bias</c>).</summary>
public interface IBiasReports
{
    Task<string> MarkdownAsync(string project, CancellationToken cancellationToken);
}
