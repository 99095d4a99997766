using System.CommandLine;
using Feedback.Server.Hosting;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback worker</c>: the distributed mode's Kafka → ClickHouse loader and miner (docs/distributed.md).</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var listen = CliOptions.Listen();
        var port = new Option<int>("--port") { Description = "Port of /health", DefaultValueFactory = _ => FeedbackHostOptions.DefaultPort + 1 };
        var mineEvery = CliOptions.MineEvery();
        var command = new Command("worker", "Distributed mode: Kafka → ClickHouse loader and the miner") { listen, port, mineEvery };
        command.SetAction((result, ct) => DistributedRun.RunAsync(new FeedbackHostOptions
        {
            ListenAddress = result.GetValue(listen)!,
            Port = result.GetValue(port),
            Capture = false,
            Load = true,
            MineEvery = TimeSpan.FromSeconds(result.GetValue(mineEvery)),
        }, ct));
        return command;
    }
}
