using System.CommandLine;
using Feedback.Server.Hosting;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback ingest</c>: the distributed mode's capture API, publishing to Kafka (docs/distributed.md).</summary>
public static class IngestCommand
{
    public static Command Create()
    {
        var listen = CliOptions.Listen();
        var port = new Option<int>("--port") { Description = "Port of the capture API", DefaultValueFactory = _ => FeedbackHostOptions.DefaultPort };
        var command = new Command("ingest", "Distributed mode: capture API publishing to Kafka") { listen, port };
        command.SetAction((result, ct) => DistributedRun.RunAsync(new FeedbackHostOptions
        {
            ListenAddress = result.GetValue(listen)!,
            Port = result.GetValue(port),
            Capture = true,
            MineEvery = TimeSpan.Zero,
        }, ct));
        return command;
    }
}
