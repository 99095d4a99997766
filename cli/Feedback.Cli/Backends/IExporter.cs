using Feedback.Server.ReadApi;

namespace Feedback.Cli.Backends;

/// <summary>Writes an export to a file (<c>feedback export</c>) and, once the file is in place, advances its watermark.</summary>
public interface IExporter
{
    /// <summary>Writes the export to <paramref name="path"/>; returns its rows.</summary>
    Task<int> ExportAsync(string project, ExportQuery query, string path, bool showProgress, CancellationToken cancellationToken);
}
