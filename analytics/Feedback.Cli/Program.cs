using System.CommandLine;
using Feedback;
using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store.ChDb;
using Feedback.Cli.ClickHouseHttp;
using Feedback.Cli.Demo;
using Feedback.Cli.Hosting;

var dataDir = new Option<string>("--data-dir")
{
    Description = "Where the embedded store keeps its data (env FEEDBACK_DATA_DIR)",
    DefaultValueFactory = _ => EmbeddedOptions.DefaultDataDirectory,
    Recursive = true,
};

var port = new Option<int>("--port") { Description = "Port of the capture API on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => EmbeddedOptions.DefaultPort };
var mineEvery = new Option<int>("--mine-every") { Description = "Seconds between mining runs (0: never)", DefaultValueFactory = _ => 30 };
var demo = new Option<bool>("--demo") { Description = "Send demo conversations through the SDK, mine them and export the pairs" };
var clickHousePort = new Option<int?>("--clickhouse-port") { Description = "Serve ClickHouse's HTTP interface over the store on this port of 127.0.0.1 (0: any free port; off when not given)" };
var clickHousePassword = new Option<string?>("--clickhouse-password") { Description = "Password of user 'default' on the ClickHouse HTTP interface (required with --clickhouse-port)" };
var serve = new Command("serve", "Run the embedded single-process mode: capture API, store and miner") { port, mineEvery, demo, clickHousePort, clickHousePassword };
serve.Validators.Add(result =>
{
    if (result.GetValue(clickHousePort) is not null && string.IsNullOrEmpty(result.GetValue(clickHousePassword)))
        result.AddError("--clickhouse-port needs --clickhouse-password");
});
serve.SetAction(async (result, ct) =>
{
    var options = new EmbeddedOptions { DataDirectory = result.GetValue(dataDir)!, Port = result.GetValue(port), MineEvery = TimeSpan.FromSeconds(result.GetValue(mineEvery)) };
    if (result.GetValue(clickHousePort) is { } chPort)
        options.ClickHouseHttp = new ClickHouseHttpOptions { Port = chPort, Password = result.GetValue(clickHousePassword)! };
    using var engine = ChDbEngine.Open(options.DataDirectory);
    await using var app = await EmbeddedHost.StartAsync(options, engine, Console.Out, ct);
    if (result.GetValue(demo)) await RunDemoAsync(app, options);
    await app.WaitForShutdownAsync(ct);
    return 0;
});

var projectName = new Argument<string>("name") { Description = "Project name: a-z, 0-9, '-' and '_'" };
var projectCreate = new Command("create", "Create a project and print its write key (shown once)") { projectName };
projectCreate.SetAction(async (result, ct) =>
{
    using var engine = ChDbEngine.Open(result.GetValue(dataDir)!);
    await Migrator.MigrateAsync(engine, ct);
    var key = await new ProjectKeys(engine).CreateProjectAsync(result.GetValue(projectName)!, ct);
    Console.WriteLine($"Created project '{result.GetValue(projectName)}'. Its write key (shown only this once):");
    Console.WriteLine($"    {key}");
    return 0;
});
var project = new Command("project", "Manage projects") { projectCreate };

var mine = new Command("mine", "Mine preference pairs now (through the running server if there is one)");
mine.SetAction(async (result, ct) =>
{
    var dir = result.GetValue(dataDir)!;
    MiningResult mined;
    if (LocalServer.Find(dir) is { } server && IsHeld(dir))
    {
        using var http = server.Client();
        using var response = await http.PostAsync("admin/mine", null, ct);
        response.EnsureSuccessStatusCode();
        mined = (await response.Content.ReadFromJsonAsync<MiningResult>(Feedback.Events.FeedbackJson.Options, ct))!;
    }
    else
    {
        using var engine = ChDbEngine.Open(dir);
        await Migrator.MigrateAsync(engine, ct);
        mined = await new MiningJob(new EditPairMiner(engine, TimeProvider.System)).RunAsync(ct);
    }
    Console.WriteLine($"Mined {mined.TotalPairs} new pairs ({mined.EditPairs} from edits).");
    return 0;
});

var exportProject = new Option<string>("--project") { Description = "Project to export", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
var exportOut = new Option<string?>("--out") { Description = "Output file (default: <data-dir>/exports/<project>-dpo-<time>.jsonl)" };
var export = new Command("export", "Export preference pairs as TRL DPO JSON Lines") { exportProject, exportOut };
export.SetAction(async (result, ct) =>
{
    var dir = result.GetValue(dataDir)!;
    var projectToExport = result.GetValue(exportProject)!;
    var path = result.GetValue(exportOut) ?? Path.Combine(dir, "exports", $"{projectToExport}-dpo-{DateTime.UtcNow:yyyyMMddTHHmmssZ}.jsonl");
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    await using (var file = File.Create(path))
    {
        if (LocalServer.Find(dir) is { } server && IsHeld(dir))
        {
            using var http = server.Client();
            using var response = await http.GetAsync($"admin/export/dpo?project={Uri.EscapeDataString(projectToExport)}", HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await response.Content.CopyToAsync(file, ct);
        }
        else
        {
            using var engine = ChDbEngine.Open(dir);
            await Migrator.MigrateAsync(engine, ct);
            await new DpoExport(engine).WriteAsync(projectToExport, file, ct);
        }
    }
    Console.WriteLine($"Exported {File.ReadLines(path).Count()} pairs of project '{projectToExport}' to {path}");
    return 0;
});

var root = new RootCommand("Feedback: turn what chat users do into preference data. Without a command: serve.") { dataDir, serve, project, mine, export };
return await root.Parse(args.Length == 0 ? ["serve"] : args).InvokeAsync();

// The store directory is held by a running server (its lock cannot be taken).
static bool IsHeld(string dataDirectory)
{
    try
    {
        using var probe = new FileStream(Path.Combine(dataDirectory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        return false;
    }
    catch (IOException)
    {
        return true;
    }
}

static async Task RunDemoAsync(WebApplication app, EmbeddedOptions options)
{
    var keys = app.Services.GetRequiredService<ProjectKeys>();
    const string demoProject = "demo";
    var key = await keys.ExistsAsync(demoProject) ? await keys.CreateKeyAsync(demoProject, KeyKind.Write) : await keys.CreateProjectAsync(demoProject);
    var url = app.Services.GetRequiredService<LocalServer>().Url;
    await using (var client = new FeedbackClient(new FeedbackClientOptions { Endpoint = new Uri(url), WriteKey = key }))
    {
        DemoTraffic.Send(client);
        await client.FlushAsync();
        Console.WriteLine($"Demo: sent {client.Sent} events through the SDK to {url} (project '{demoProject}').");
    }
    var mined = await app.Services.GetRequiredService<MiningJob>().RunAsync();
    var path = Path.Combine(options.DataDirectory, "exports", "demo-dpo.jsonl");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    int exported;
    await using (var file = File.Create(path))
        exported = await app.Services.GetRequiredService<DpoExport>().WriteAsync(demoProject, file);
    Console.WriteLine($"Demo: mined {mined.TotalPairs} new pairs; {exported} demo pairs exported to {path}");
    Console.WriteLine(File.ReadLines(path).FirstOrDefault());
}
