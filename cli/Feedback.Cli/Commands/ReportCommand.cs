using System.CommandLine;
using Feedback.Analytics.Projects;
using Feedback.Cli.Backends;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback report bias</c>: reports on the mined data.</summary>
public static class ReportCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var project = new Option<string>("--project") { Description = "Project to report on", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
        var bias = new Command("bias", "Length bias per pair source, pairs and labels per model version, outlier users") { project };
        bias.SetAction(async (result, ct) =>
        {
            using var backend = await StoreBackend.OpenAsync(result.GetValue(dataDir)!, ct);
            Console.Write(await backend.Bias.MarkdownAsync(result.GetValue(project)!, ct));
            return 0;
        });
        return new Command("report", "Reports on the mined data") { bias };
    }
}
