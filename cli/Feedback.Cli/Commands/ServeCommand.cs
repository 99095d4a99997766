using System.CommandLine;
using Feedback.Analytics.Store.ChDb;
using Feedback.Cli.Demo;
using Feedback.Server.ClickHouseHttp;
using Feedback.Server.Hosting;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback serve</c> (the default): the embedded single-process mode, capture API, store and miner.</summary>
public static class ServeCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var port = new Option<int>("--port") { Description = "Port of the capture API on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => FeedbackHostOptions.DefaultPort };
        var mineEvery = CliOptions.MineEvery();
        var demo = new Option<bool>("--demo") { Description = "Send demo conversations through the SDK, mine them and export the pairs" };
        var clickHousePort = new Option<int?>("--clickhouse-port") { Description = "Serve ClickHouse's HTTP interface over the store on this port of 127.0.0.1 (0: any free port; off when not given)" };
        var clickHousePassword = new Option<string?>("--clickhouse-password") { Description = $"Password of user 'default' on the ClickHouse HTTP interface; other local users see a command line, so prefer ${ClickHouseHttpPassword.EnvironmentVariable} or --clickhouse-password-file" };
        var clickHousePasswordFile = new Option<string?>("--clickhouse-password-file") { Description = "File holding the ClickHouse HTTP interface's password (first line)" };
        var clickHouseAllowWrites = new Option<bool>("--clickhouse-allow-writes") { Description = "Let the ClickHouse HTTP interface write to the store (INSERT, CREATE, ALTER, …); read-only without it" };
        var command = new Command("serve", "Run the embedded single-process mode: capture API, store and miner")
        {
            port, mineEvery, demo, clickHousePort, clickHousePassword, clickHousePasswordFile, clickHouseAllowWrites,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(clickHousePort) is not null
                && ClickHouseHttpPassword.Resolve(result.GetValue(clickHousePassword), result.GetValue(clickHousePasswordFile), Environment.GetEnvironmentVariable) is null)
                result.AddError($"--clickhouse-port needs a password: ${ClickHouseHttpPassword.EnvironmentVariable}, --clickhouse-password-file or --clickhouse-password");
        });
        command.SetAction(async (result, ct) =>
        {
            var options = new FeedbackHostOptions { DataDirectory = result.GetValue(dataDir)!, Port = result.GetValue(port), MineEvery = TimeSpan.FromSeconds(result.GetValue(mineEvery)) };
            if (result.GetValue(clickHousePort) is { } chPort)
            {
                options.ClickHouseHttp = new ClickHouseHttpOptions
                {
                    Port = chPort,
                    Password = ClickHouseHttpPassword.Resolve(result.GetValue(clickHousePassword), result.GetValue(clickHousePasswordFile), Environment.GetEnvironmentVariable)!,
                    AllowWrites = result.GetValue(clickHouseAllowWrites),
                };
            }
            using var engine = ChDbEngine.Open(options.DataDirectory);
            await using var app = await FeedbackHost.StartAsync(options, engine, Console.Out, cancellationToken: ct);
            if (result.GetValue(demo)) await DemoRun.RunAsync(app, options);
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
