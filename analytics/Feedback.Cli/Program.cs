using System.CommandLine;
using System.Text.Json;
using Feedback;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Mining.Predictor;
using Feedback.Analytics.Model;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Schema.Cluster;
using Feedback.Analytics.Store;
using Feedback.Analytics.Store.ChDb;
using Feedback.Analytics.Store.Server;
using Feedback.Analytics.Topics;
using Feedback.Cli.ClickHouseHttp;
using Feedback.Cli.Demo;
using Feedback.Cli.Hosting;
using Feedback.Cli.Reports;
using Feedback.Training.FollowUps;
using Feedback.Training.Topics;

var dataDir = new Option<string>("--data-dir")
{
    Description = "Where the embedded store keeps its data (env FEEDBACK_DATA_DIR)",
    DefaultValueFactory = _ => FeedbackHostOptions.DefaultDataDirectory,
    Recursive = true,
};

var port = new Option<int>("--port") { Description = "Port of the capture API on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => FeedbackHostOptions.DefaultPort };
var mineEvery = new Option<int>("--mine-every") { Description = "Seconds between mining runs (0: never)", DefaultValueFactory = _ => 30 };
var demo = new Option<bool>("--demo") { Description = "Send demo conversations through the SDK, mine them and export the pairs" };
var clickHousePort = new Option<int?>("--clickhouse-port") { Description = "Serve ClickHouse's HTTP interface over the store on this port of 127.0.0.1 (0: any free port; off when not given)" };
var clickHousePassword = new Option<string?>("--clickhouse-password") { Description = $"Password of user 'default' on the ClickHouse HTTP interface; other local users see a command line, so prefer ${ClickHouseHttpPassword.EnvironmentVariable} or --clickhouse-password-file" };
var clickHousePasswordFile = new Option<string?>("--clickhouse-password-file") { Description = "File holding the ClickHouse HTTP interface's password (first line)" };
var clickHouseAllowWrites = new Option<bool>("--clickhouse-allow-writes") { Description = "Let the ClickHouse HTTP interface write to the store (INSERT, CREATE, ALTER, …); read-only without it" };
var serve = new Command("serve", "Run the embedded single-process mode: capture API, store and miner") { port, mineEvery, demo, clickHousePort, clickHousePassword, clickHousePasswordFile, clickHouseAllowWrites };
serve.Validators.Add(result =>
{
    if (result.GetValue(clickHousePort) is not null
        && ClickHouseHttpPassword.Resolve(result.GetValue(clickHousePassword), result.GetValue(clickHousePasswordFile), Environment.GetEnvironmentVariable) is null)
        result.AddError($"--clickhouse-port needs a password: ${ClickHouseHttpPassword.EnvironmentVariable}, --clickhouse-password-file or --clickhouse-password");
});
serve.SetAction(async (result, ct) =>
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
    if (result.GetValue(demo)) await RunDemoAsync(app, options);
    await app.WaitForShutdownAsync(ct);
    return 0;
});

var projectName = new Argument<string>("name") { Description = "Project name: a-z, 0-9, '-' and '_'" };
var projectCreate = new Command("create", "Create a project and print its write key (shown once)") { projectName };
projectCreate.SetAction(async (result, ct) =>
{
    // With a ClickHouse server configured (distributed mode) the project goes there, else into the embedded store.
    var server = ServerConnectionString();
    using var store = server is null ? null : new ClickHouseServerStore(server);
    using var engine = server is null ? ChDbEngine.Open(result.GetValue(dataDir)!) : null;
    IClickHouse db = (IClickHouse?)store ?? engine!;
    await Migrator.MigrateAsync(db, ct);
    var key = await new ProjectKeys(db).CreateProjectAsync(result.GetValue(projectName)!, ct);
    Console.WriteLine($"Created project '{result.GetValue(projectName)}'. Its write key (shown only this once):");
    Console.WriteLine($"    {key}");
    return 0;
});
var keyProject = new Argument<string>("project") { Description = "The project the key is for" };
var keyRead = new Option<bool>("--read") { Description = "A read key (export, trends and comparisons over HTTP) instead of a write key (sending events)" };
var keyOrigins = new Option<string[]>("--origin")
{
    Description = "A web origin (scheme://host[:port]) whose pages may send events with this write key; repeat for several (docs/browser.md)",
};
var keyCreate = new Command("create", "Create another key for a project and print it (shown once)") { keyProject, keyRead, keyOrigins };
keyCreate.Validators.Add(result =>
{
    var origins = result.GetValue(keyOrigins) ?? [];
    if (origins.Length > 0 && result.GetValue(keyRead)) result.AddError("--origin is for write keys: a read key never goes into a web page");
    foreach (var origin in origins)
    {
        try
        {
            AllowedOrigins.Normalize(origin);
        }
        catch (ArgumentException e)
        {
            result.AddError("--origin " + e.Message.Split(" (Parameter", 2)[0]);
        }
    }
});
keyCreate.SetAction(async (result, ct) =>
{
    var server = ServerConnectionString();
    using var store = server is null ? null : new ClickHouseServerStore(server);
    using var engine = server is null ? ChDbEngine.Open(result.GetValue(dataDir)!) : null;
    IClickHouse db = (IClickHouse?)store ?? engine!;
    await Migrator.MigrateAsync(db, ct);
    var keys = new ProjectKeys(db);
    var name = result.GetValue(keyProject)!;
    if (!await keys.ExistsAsync(name, ct))
    {
        await Console.Error.WriteLineAsync($"No project '{name}'.");
        return 1;
    }
    var kind = result.GetValue(keyRead) ? KeyKind.Read : KeyKind.Write;
    var origins = result.GetValue(keyOrigins) ?? [];
    var key = origins.Length > 0 ? await keys.CreateWriteKeyAsync(name, origins, ct) : await keys.CreateKeyAsync(name, kind, ct);
    Console.WriteLine($"Created a {kind} key for project '{name}' (shown only this once):");
    Console.WriteLine($"    {key}");
    if (origins.Length > 0)
        Console.WriteLine($"Web pages on {string.Join(", ", origins.Select(AllowedOrigins.Normalize).Distinct())} may send events with it (docs/browser.md).");
    return 0;
});
var project = new Command("project", "Manage projects") { projectCreate, new Command("key", "Manage a project's keys") { keyCreate } };

var mine = new Command("mine", "Mine preference pairs now (through the running server if there is one)");
mine.SetAction(async (result, ct) =>
{
    var dir = result.GetValue(dataDir)!;
    MiningResult mined;
    if (LocalServer.Find(dir) is { } server && ChDbEngine.IsInUse(dir))
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
        mined = await MiningJob.Over(engine, TimeProvider.System).RunAsync(ct);
    }
    Console.WriteLine($"Mined {mined.TotalPairs} new pairs ({string.Join(", ", mined.Pairs.Select(p => $"{p.Value} {p.Key}"))}); signals of {mined.TurnSignals} turns derived, {mined.TurnLabels} labelled, {mined.TurnsScored} scored.");
    return 0;
});

var topicsProject = new Option<string>("--project") { Description = "Project whose topics to show", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
var topicsRefit = new Option<bool>("--refit") { Description = "Fit the topics again on all negative turns first (ids stay stable)" };
var topicsJson = new Option<bool>("--json") { Description = "Print the GET /v1/topics JSON instead of a table" };
var topicsFrom = new Option<DateTimeOffset?>("--from") { Description = "Start of the range (ISO 8601; default 30 days before --to)" };
var topicsTo = new Option<DateTimeOffset?>("--to") { Description = "End of the range, exclusive (default now)" };
var topicsInterval = new Option<string>("--interval") { Description = "Trend interval: hour, day or week", DefaultValueFactory = _ => "day" };
var topicsLimit = new Option<int>("--limit") { Description = "How many topics, largest first", DefaultValueFactory = _ => 20 };
var topics = new Command("topics", "Show the topics of negative feedback: id, size, trend and label (through the running server if there is one)")
{
    topicsProject, topicsRefit, topicsJson, topicsFrom, topicsTo, topicsInterval, topicsLimit,
};
topics.SetAction(async (result, ct) =>
{
    var dir = result.GetValue(dataDir)!;
    var name = result.GetValue(topicsProject)!;
    var parameters = new TopicsParameters
    {
        From = result.GetValue(topicsFrom),
        To = result.GetValue(topicsTo),
        Interval = result.GetValue(topicsInterval)!,
        Limit = result.GetValue(topicsLimit),
    };
    var (query, error) = parameters.ToQuery(DateTimeOffset.UtcNow);
    if (query is null)
    {
        await Console.Error.WriteLineAsync(error);
        return 2;
    }
    TopicsView view;
    if (LocalServer.Find(dir) is { } server && ChDbEngine.IsInUse(dir))
    {
        // The server keeps topics up to date after each mining run; only a refit is asked for.
        using var http = server.Client();
        if (result.GetValue(topicsRefit))
            (await http.PostAsync($"admin/topics/refit?project={Uri.EscapeDataString(name)}", null, ct)).EnsureSuccessStatusCode();
        view = (await http.GetFromJsonAsync<TopicsView>($"admin/topics?project={Uri.EscapeDataString(name)}&{parameters.ToQueryString()}", Feedback.Events.FeedbackJson.Options, ct))!;
    }
    else
    {
        // No server: bring signals and topics up to date here, as a mining run would.
        using var engine = ChDbEngine.Open(dir);
        await Migrator.MigrateAsync(engine, ct);
        await new TurnSignalsJob(engine, TimeProvider.System).DeriveAsync(ct);
        using var job = new TopicJob(engine, MiniLmEmbedder.Shared, ComplaintKinds.Shipped, new TopicOptions(), TimeProvider.System);
        await (result.GetValue(topicsRefit) ? job.RefitAsync(name, ct) : job.UpdateAsync(name, ct));
        view = await new TopicReader(engine).ReadAsync(name, query, ct);
    }
    if (result.GetValue(topicsJson)) Console.WriteLine(JsonSerializer.Serialize(view, Feedback.Events.FeedbackJson.Options));
    else TopicsTable.Write(view, Console.Out);
    return 0;
});

var exportProject = new Option<string>("--project") { Description = "Project to export", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
var exportOut = new Option<string?>("--out") { Description = "Output file (default: <data-dir>/exports/<project>-<format>-<time>.<jsonl|parquet>)" };
var exportFormat = new Option<string>("--format") { Description = "dpo (TRL DPO JSONL), kto (TRL KTO JSONL), openai (OpenAI preference JSONL) or parquet", DefaultValueFactory = _ => DpoFormat.Name };
exportFormat.AcceptOnlyFromAmong([.. ExportFormats.Shipped.Names]);
var exportFrom = new Option<DateTimeOffset?>("--from") { Description = "Only pairs created at or after this time (ISO 8601)" };
var exportTo = new Option<DateTimeOffset?>("--to") { Description = "Only pairs created before this time; with --watermark the cut-off, default the run's start" };
var exportModel = new Option<string[]>("--model") { Description = "Only pairs of these models", AllowMultipleArgumentsPerToken = true };
var exportModelVersion = new Option<string[]>("--model-version") { Description = "Only pairs of these model versions", AllowMultipleArgumentsPerToken = true };
var exportSource = new Option<string[]>("--source") { Description = "Only pairs from these sources (edit, ...)", AllowMultipleArgumentsPerToken = true };
var exportMinConfidence = new Option<float>("--min-confidence") { Description = "Only pairs with at least this confidence (0-1)" };
var exportWatermark = new Option<string?>("--watermark") { Description = "Incremental: export only what is new since the last successful run with this name, then advance it" };
// Noise and bias controls (docs/export.md).
var exportMinPredicted = new Option<float?>("--min-predicted-positive") { Description = "kto: desirable rows of turns scored by the reaction predictor need at least this P[positive]" };
var exportMaxPerUser = new Option<int>("--max-per-user") { Description = "At most this many rows per user (0: no cap)", DefaultValueFactory = _ => ExportFilter.DefaultMaxPerUser };
var exportMaxPerVersion = new Option<int>("--max-per-model-version") { Description = "At most this many rows per model version, to balance versions (0: no cap)" };
var exportDedupe = new Option<bool>("--dedupe") { Description = "Drop rows equal to an earlier one after normalising case and whitespace" };
var exportBalanced = new Option<bool>("--length-balanced") { Description = "Pairs: as many with the chosen answer longer as with it shorter" };
var exportNoOutliers = new Option<bool>("--exclude-outlier-users") { Description = "Leave out the users `feedback report bias` flags" };
var export = new Command("export", "Export preference pairs (default: all pairs as TRL DPO JSON Lines)")
{
    exportProject, exportOut, exportFormat, exportFrom, exportTo, exportModel, exportModelVersion, exportSource, exportMinConfidence, exportWatermark,
    exportMinPredicted, exportMaxPerUser, exportMaxPerVersion, exportDedupe, exportBalanced, exportNoOutliers,
};
export.SetAction(async (result, ct) =>
{
    var dir = result.GetValue(dataDir)!;
    var projectToExport = result.GetValue(exportProject)!;
    var query = new ExportQuery
    {
        Format = result.GetValue(exportFormat)!,
        From = result.GetValue(exportFrom),
        To = result.GetValue(exportTo),
        Models = result.GetValue(exportModel) ?? [],
        ModelVersions = result.GetValue(exportModelVersion) ?? [],
        Sources = result.GetValue(exportSource) ?? [],
        MinConfidence = result.GetValue(exportMinConfidence),
        Watermark = result.GetValue(exportWatermark),
        MinPredictedPositive = result.GetValue(exportMinPredicted),
        MaxPerUser = result.GetValue(exportMaxPerUser),
        MaxPerModelVersion = result.GetValue(exportMaxPerVersion),
        Deduplicate = result.GetValue(exportDedupe),
        LengthBalanced = result.GetValue(exportBalanced),
        ExcludeOutlierUsers = result.GetValue(exportNoOutliers),
    };
    if (query.Refusal(ExportFormats.Shipped) is { } refusal)
    {
        await Console.Error.WriteLineAsync(refusal);
        return 2;
    }
    var path = result.GetValue(exportOut)
        ?? Path.Combine(dir, "exports", $"{projectToExport}-{query.Format}-{DateTime.UtcNow:yyyyMMddTHHmmssZ}.{ExportFormats.Shipped[query.Format].Extension}");
    // Progress only for a person watching: never into a redirected stderr (logs, pipelines).
    var showProgress = !Console.IsErrorRedirected;
    int rows;
    if (LocalServer.Find(dir) is { } server && ChDbEngine.IsInUse(dir))
    {
        using var http = server.Client();
        ExportPosition? next = null;
        await ExportFile.WriteAsync(path, async file =>
        {
            using var response = await http.GetAsync(
                $"admin/export?project={Uri.EscapeDataString(projectToExport)}&{query.ToQueryString()}", HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            if (response.Headers.TryGetValues(ExportResponse.NextHeader, out var values)) next = ExportPosition.Parse(values.First());
            await CopyAsync(await response.Content.ReadAsStreamAsync(ct), file, showProgress ? new ConsoleProgress("KB") : null, ct);
            return true;
        }, async () =>
        {
            if (query.Watermark is { } name && next is not null)
            {
                using var advanced = await http.PostAsync(
                    $"admin/export/watermarks/{Uri.EscapeDataString(name)}?project={Uri.EscapeDataString(projectToExport)}&position={Uri.EscapeDataString(next.ToString())}", null, ct);
                advanced.EnsureSuccessStatusCode();
            }
        });
        rows = await CountRowsAsync(path, query.Format);
    }
    else
    {
        using var engine = ChDbEngine.Open(dir);
        await Migrator.MigrateAsync(engine, ct);
        var pairExport = new PairExport(engine);
        var watermarks = new ExportWatermarks(engine, TimeProvider.System);
        var filter = query.ToFilter(projectToExport);
        ExportPosition? next = null;
        if (query.Watermark is { } name) (filter, next) = await watermarks.PlanAsync(pairExport, query.Format, filter, name, ct);
        rows = await ExportFile.WriteAsync(path, file => pairExport.WriteAsync(query.Format, filter, file, showProgress ? new ConsoleProgress("rows") : null, ct), async () =>
        {
            if (query.Watermark is { } name && next is not null) await watermarks.AdvanceAsync(projectToExport, name, next, ct);
        });
    }
    if (showProgress) Console.Error.WriteLine();
    Console.WriteLine($"Exported {rows} {(ExportFormats.Shipped[query.Format].WritesLabels ? "rows" : "pairs")} of project '{projectToExport}' to {path}");
    return 0;
});

// Distributed mode: the same host, with Kafka and a ClickHouse server from configuration
// (appsettings.json or environment variables such as Feedback__Kafka__BootstrapServers).
var listen = new Option<string>("--listen") { Description = "Address to listen on (containers: 0.0.0.0)", DefaultValueFactory = _ => "127.0.0.1" };
var ingestPort = new Option<int>("--port") { Description = "Port of the capture API", DefaultValueFactory = _ => FeedbackHostOptions.DefaultPort };
var ingest = new Command("ingest", "Distributed mode: capture API publishing to Kafka") { listen, ingestPort };
ingest.SetAction((result, ct) => RunDistributedAsync(new FeedbackHostOptions
{
    ListenAddress = result.GetValue(listen)!,
    Port = result.GetValue(ingestPort),
    Capture = true,
    MineEvery = TimeSpan.Zero,
}, ct));
var workerPort = new Option<int>("--port") { Description = "Port of /health", DefaultValueFactory = _ => FeedbackHostOptions.DefaultPort + 1 };
var worker = new Command("worker", "Distributed mode: Kafka → ClickHouse loader and the miner") { listen, workerPort, mineEvery };
worker.SetAction((result, ct) => RunDistributedAsync(new FeedbackHostOptions
{
    ListenAddress = result.GetValue(listen)!,
    Port = result.GetValue(workerPort),
    Capture = false,
    Load = true,
    MineEvery = TimeSpan.FromSeconds(result.GetValue(mineEvery)),
}, ct));

var brokers = new Option<int>("--brokers") { Description = "Number of mock brokers", DefaultValueFactory = _ => 1 };
var partitions = new Option<int>("--partitions") { Description = "Partitions of the events topic", DefaultValueFactory = _ => 4 };
var kafkaMock = new Command("kafka-mock", "Start librdkafka's mock Kafka cluster on 127.0.0.1 for local development") { brokers, partitions };
kafkaMock.SetAction(async (result, ct) =>
{
    var kafka = new KafkaOptions();
    using var cluster = MockKafkaCluster.Start(result.GetValue(brokers));
    cluster.CreateTopic(kafka.Topic, result.GetValue(partitions));
    cluster.CreateTopic(kafka.DeadLetterTopic, 1);
    cluster.CreateTopic(kafka.MiningTopic, kafka.MiningShards); // the mock has no CreateTopics; workers share the mining by its partitions
    Console.WriteLine($"Mock Kafka cluster running. bootstrap.servers={cluster.BootstrapServers}");
    Console.WriteLine($"    export Feedback__Kafka__BootstrapServers={cluster.BootstrapServers}");
    Console.WriteLine("Ctrl+C to stop.");
    await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
    return 0;
});

var healthUrl = new Option<string>("--url") { Description = "Health endpoint to check", DefaultValueFactory = _ => $"http://127.0.0.1:{FeedbackHostOptions.DefaultPort}/health" };
var health = new Command("health", "Exit 0 when a Feedback process reports healthy (for container healthchecks)") { healthUrl };
health.SetAction(async (result, ct) =>
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    try
    {
        using var response = await http.GetAsync(result.GetValue(healthUrl), ct);
        Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        return response.IsSuccessStatusCode ? 0 : 1;
    }
    catch (HttpRequestException e)
    {
        Console.WriteLine(e.Message);
        return 1;
    }
});

var classifyFile = new Argument<string?>("file") { Description = "JSON Lines with prompt, response, followup (default: stdin)", Arity = ArgumentArity.ZeroOrOne };
var classifyModel = new Option<string?>("--model") { Description = "Model zip to use instead of the shipped one (from `feedback train`)" };
var classify = new Command("classify", "Label follow-up messages (positive, rephrase, correction, complaint, clarification, none) as JSON Lines") { classifyFile, classifyModel };
classify.SetAction(async (result, ct) =>
{
    // No store here: classify only needs the model, so it starts fast and runs beside a server.
    var model = result.GetValue(classifyModel);
    var file = result.GetValue(classifyFile);
    if (file is not null && !File.Exists(file))
    {
        await Console.Error.WriteLineAsync($"{file}: no such file");
        return 2;
    }
    using var input = file is null ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(file);
    return await ClassifyJsonLines.RunAsync(input, Console.Out, Console.Error, () =>
    {
        if (model is null) return FollowUpClassifier.LoadShipped();
        using var stream = File.OpenRead(model);
        return FollowUpClassifier.Load(stream);
    }, ct);
});

var trainCorpus = new Option<string?>("--corpus") { Description = "Directory with train/validation/test/heldout.jsonl (default: the corpus shipped in the assembly)" };
var trainOut = new Option<string>("--out") { Description = "Where to write the model bundle", DefaultValueFactory = _ => "followup-model.zip" };
var trainSemantic = new Option<string>("--semantic") { Description = "Feature set of the semantic model", DefaultValueFactory = _ => FollowUpTraining.Semantic.Name };
var trainVariants = new Option<bool>("--variants") { Description = "Also train and measure every feature set (docs/mining.md, \"Variants\")" };
var trainCascade = new Option<bool>("--cascade") { Description = "Let the cheap n-gram model decide alone when it is sure (faster, less accurate on new phrasing)" };
var train = new Command("train", "Train the follow-up classifier and print its metrics next to the keyword baseline") { trainCorpus, trainOut, trainSemantic, trainVariants, trainCascade };
train.SetAction(result =>
{
    var path = result.GetValue(trainOut)!;
    Console.Write(FollowUpTraining.Run(result.GetValue(trainCorpus), path, result.GetValue(trainSemantic)!, result.GetValue(trainVariants), result.GetValue(trainCascade)));
    return 0;
});

// The complaint kinds topics are found with (docs/analytics.md, "Topics"): rebuilt after training/topics/complaints.jsonl changes.
var kindsCorpus = new Option<string?>("--corpus") { Description = "Labelled complaints as JSON Lines (default: training/topics/complaints.jsonl, shipped in the assembly)" };
var kindsOut = new Option<string>("--out") { Description = "Where to write the complaint kinds", DefaultValueFactory = _ => "complaint-kinds.bin" };
var trainTopics = new Command("train-topics", "Build the complaint kinds that topics of negative feedback are found with") { kindsCorpus, kindsOut };
trainTopics.SetAction(result =>
{
    var corpus = result.GetValue(kindsCorpus) is { } file ? LabelledComplaint.Read(file) : ComplaintKindsTraining.Corpus();
    var kinds = ComplaintKindsTraining.Build(corpus, MiniLmEmbedder.Shared);
    using (var output = File.Create(result.GetValue(kindsOut)!)) kinds.Write(output);
    Console.WriteLine($"Wrote {result.GetValue(kindsOut)}: {kinds.Kinds.Count} kinds from {corpus.Count} labelled complaints.");
    return 0;
});

// Simulated conversations with known ground truth (docs/mining.md, "Simulator"): into a file, or straight into the store.
var simulateSeed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same events", DefaultValueFactory = _ => 1 };
var simulateConversations = new Option<int>("--conversations") { Description = "How many conversations", DefaultValueFactory = _ => 1000 };
var simulateProject = new Option<string>("--project") { Description = "Project the events belong to", DefaultValueFactory = _ => "sim" };
var simulateOut = new Option<string?>("--out") { Description = "Write the events as JSON Lines to this file instead of into the store" };
var simulateTruth = new Option<string?>("--truth") { Description = "Also write the expected pairs (ground truth) as JSON Lines to this file" };
var simulate = new Command("simulate", "Generate simulated conversations with known ground truth") { simulateSeed, simulateConversations, simulateProject, simulateOut, simulateTruth };
simulate.SetAction(async (result, ct) =>
{
    var simulation = Feedback.Simulation.ConversationSimulator.Run(new Feedback.Simulation.SimulationOptions
    {
        Seed = result.GetValue(simulateSeed),
        Conversations = result.GetValue(simulateConversations),
        Project = result.GetValue(simulateProject)!,
    });
    if (result.GetValue(simulateTruth) is { } truth)
        await File.WriteAllLinesAsync(truth, simulation.Pairs.Select(p => System.Text.Json.JsonSerializer.Serialize(p, Feedback.Events.FeedbackJson.Options)), ct);
    if (result.GetValue(simulateOut) is { } file)
        await File.WriteAllLinesAsync(file, simulation.Events.Select(e => System.Text.Json.JsonSerializer.Serialize(e, Feedback.Events.FeedbackJson.Options)), ct);
    else
    {
        var dir = result.GetValue(dataDir)!;
        if (ChDbEngine.IsInUse(dir))
        {
            await Console.Error.WriteLineAsync("The store is in use by a running server: stop it, or use --out and send the file to POST /v1/batch.");
            return 1;
        }
        using var engine = ChDbEngine.Open(dir);
        await Migrator.MigrateAsync(engine, ct);
        foreach (var batch in simulation.Events.Chunk(50_000))
            await new Feedback.Analytics.Events.EventStore(engine).AppendAsync(batch, ct);
    }
    Console.WriteLine($"Simulated {simulation.Turns.Count} turns, {simulation.Events.Count} events; {simulation.Pairs.Count} pairs expected.");
    return 0;
});

var evaluateShow = new Option<int>("--show") { Description = "Also print this many wrong and missed pairs", DefaultValueFactory = _ => 0 };
var evaluate = new Command("evaluate", "Simulate conversations into a fresh temporary store, mine them and print precision and recall per pair source")
{
    simulateSeed, simulateConversations, evaluateShow,
};
evaluate.SetAction(async (result, ct) =>
{
    var simulation = Feedback.Simulation.ConversationSimulator.Run(new Feedback.Simulation.SimulationOptions
    {
        Seed = result.GetValue(simulateSeed),
        Conversations = result.GetValue(simulateConversations),
    });
    var dir = Path.Combine(Path.GetTempPath(), "feedback-evaluate-" + Guid.NewGuid().ToString("N"));
    try
    {
        using var engine = ChDbEngine.Open(dir);
        await Migrator.MigrateAsync(engine, ct);
        foreach (var batch in simulation.Events.Chunk(50_000))
            await new Feedback.Analytics.Events.EventStore(engine).AppendAsync(batch, ct);
        var mined = await MiningJob.Over(engine, TimeProvider.System).RunAsync(ct);
        var pairs = await engine.QueryAsync<PreferencePair>("SELECT * FROM pairs FINAL", cancellationToken: ct);
        var score = Feedback.Simulation.PairEvaluation.Score(simulation.Pairs, pairs);
        Console.WriteLine($"{simulation.Turns.Count} turns, {simulation.Events.Count} events; signals of {mined.TurnSignals} turns; {pairs.Count} pairs mined\n");
        Console.WriteLine(score.ToMarkdown());
        foreach (var wrong in score.Wrong.Take(result.GetValue(evaluateShow)))
            Console.WriteLine($"wrong:  {wrong.Source} {wrong.TurnId} chosen={wrong.Chosen} | rejected={wrong.Rejected} ({wrong.Confidence:0.00})");
        foreach (var missed in score.Missed.Take(result.GetValue(evaluateShow)))
            Console.WriteLine($"missed: {missed.Source} {missed.TurnId} chosen={missed.Chosen.First()} | rejected={missed.Rejected}");
    }
    finally
    {
        Directory.Delete(dir, recursive: true);
    }
    return 0;
});

// Reaction predictor (P[positive]): trained per project from its turns with explicit reactions (docs/mining.md).
var predictorProject = new Option<string>("--project") { Description = "Project whose reacted turns to train on", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
var trainPredictor = new Command("train-predictor", "Train the reaction predictor P[positive] of a project and print its AUC on held-out conversations") { predictorProject };
trainPredictor.SetAction(async (result, ct) =>
{
    var dir = result.GetValue(dataDir)!;
    var name = result.GetValue(predictorProject)!;
    PredictorSummary trained;
    if (LocalServer.Find(dir) is { } server && ChDbEngine.IsInUse(dir))
    {
        using var http = server.Client();
        using var response = await http.PostAsync($"admin/train-predictor?project={Uri.EscapeDataString(name)}", null, ct);
        if (!response.IsSuccessStatusCode)
        {
            await Console.Error.WriteLineAsync(await response.Content.ReadAsStringAsync(ct));
            return 1;
        }
        trained = (await response.Content.ReadFromJsonAsync<PredictorSummary>(Feedback.Events.FeedbackJson.Options, ct))!;
    }
    else
    {
        using var engine = ChDbEngine.Open(dir);
        await Migrator.MigrateAsync(engine, ct);
        try
        {
            trained = PredictorSummary.Of(await new ReactionPredictors(engine, TimeProvider.System).TrainAsync(name, ct));
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
    Console.WriteLine($"Trained the reaction predictor of '{name}' on {trained.TrainTurns} turns; AUC {trained.Auc:0.000} on {trained.TestTurns} held-out turns " +
        $"({trained.PositiveShare:P0} positive). Turns without reactions are scored from the next mining run.");
    return 0;
});

var reportProject = new Option<string>("--project") { Description = "Project to report on", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
var reportBias = new Command("bias", "Length bias per pair source, pairs and labels per model version, outlier users") { reportProject };
reportBias.SetAction(async (result, ct) =>
{
    var dir = result.GetValue(dataDir)!;
    var name = result.GetValue(reportProject)!;
    if (LocalServer.Find(dir) is { } server && ChDbEngine.IsInUse(dir))
    {
        using var http = server.Client();
        Console.Write(await http.GetStringAsync($"admin/report/bias?project={Uri.EscapeDataString(name)}", ct));
        return 0;
    }
    using var engine = ChDbEngine.Open(dir);
    await Migrator.MigrateAsync(engine, ct);
    Console.Write((await new BiasReport(engine).BuildAsync(name, ct)).ToMarkdown());
    return 0;
});
var report = new Command("report", "Reports on the mined data") { reportBias };

var schemaCluster = new Option<string>("--cluster") { Description = "Name of the cluster in the servers' remote_servers", Required = true };
var schemaOut = new Option<string?>("--out") { Description = "Write the script to this file instead of stdout" };
var schemaAfter = new Option<uint>("--after") { Description = "Only the migrations numbered above this one (a cluster already at that version: SELECT max(version) FROM schema_migrations)" };
var schema = new Command("schema", "Print the schema as DDL for a self-managed ClickHouse cluster: replicated local tables, Distributed tables, ON CLUSTER (docs/cluster.md)") { schemaCluster, schemaOut, schemaAfter };
schema.Validators.Add(result =>
{
    try
    {
        _ = new ClusterName(result.GetValue(schemaCluster)!);
    }
    catch (ArgumentException e)
    {
        result.AddError("--cluster: " + e.Message.Split(" (Parameter", 2)[0]);
    }
});
schema.SetAction(async (result, ct) =>
{
    var migrations = Migrator.All.Where(m => m.Version > result.GetValue(schemaAfter)).ToList();
    var script = new ClusterLayout(result.GetValue(schemaCluster)!).Script(migrations);
    if (result.GetValue(schemaOut) is { } file)
    {
        await File.WriteAllTextAsync(file, script, ct);
        Console.WriteLine($"Wrote the schema for cluster '{result.GetValue(schemaCluster)}' ({migrations.Count} migrations) to {file}");
    }
    else Console.Write(script);
    return 0;
});

var root = new RootCommand("Feedback: turn what chat users do into preference data. Without a command: serve.")
{
    dataDir, serve, project, mine, topics, export, TrendCommands.Trends(dataDir), TrendCommands.Compare(dataDir), classify, train, trainTopics, trainPredictor, report,
    simulate, evaluate, ingest, worker, kafkaMock, health, schema,
};
return await root.Parse(args.Length == 0 ? ["serve"] : args).InvokeAsync();

// The server streams the export; progress counts kilobytes received, as rows are only known at the end.
static async Task CopyAsync(Stream from, Stream to, IProgress<int>? kilobytes, CancellationToken ct)
{
    var buffer = new byte[81920];
    long total = 0;
    int read;
    while ((read = await from.ReadAsync(buffer, ct)) > 0)
    {
        await to.WriteAsync(buffer.AsMemory(0, read), ct);
        total += read;
        kilobytes?.Report((int)(total / 1024));
    }
}

// Rows in a finished export file (the server streamed it, so only the file knows).
static async Task<int> CountRowsAsync(string path, string format)
{
    if (format != ParquetFormat.Name) return File.ReadLines(path).Count();
    await using var reader = await Parquet.ParquetReader.CreateAsync(path);
    return (int)reader.Metadata!.NumRows;
}

static IConfiguration Configuration() => new ConfigurationBuilder()
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
    .AddEnvironmentVariables()
    .Build();

static string? ServerConnectionString() =>
    Configuration().GetSection(ClickHouseOptions.Section).Get<ClickHouseOptions>()?.ConnectionString is { Length: > 0 } cs ? cs : null;

static async Task<int> RunDistributedAsync(FeedbackHostOptions options, CancellationToken ct)
{
    var configuration = Configuration();
    var clickHouse = configuration.GetSection(ClickHouseOptions.Section).Get<ClickHouseOptions>() ?? new ClickHouseOptions();
    if (string.IsNullOrWhiteSpace(clickHouse.ConnectionString))
    {
        await Console.Error.WriteLineAsync("Set Feedback:ClickHouse:ConnectionString (env Feedback__ClickHouse__ConnectionString).");
        return 2;
    }
    if (!(configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions()).Enabled)
    {
        await Console.Error.WriteLineAsync("Set Feedback:Kafka:BootstrapServers (env Feedback__Kafka__BootstrapServers).");
        return 2;
    }
    using var store = new ClickHouseServerStore(clickHouse.ConnectionString);
    await using var app = await FeedbackHost.StartAsync(options, store, Console.Out, cancellationToken: ct);
    await app.WaitForShutdownAsync(ct);
    return 0;
}

static async Task RunDemoAsync(WebApplication app, FeedbackHostOptions options)
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
    var month = DemoMonth.Events(DateTimeOffset.UtcNow);
    var accepted = await DemoMonth.SendAsync(url, key, month);
    Console.WriteLine($"Demo: sent a month of simulated traffic, {accepted} of {month.Count} events accepted ({DemoMonth.Conversations} conversations, {DemoMonth.Complaints} planted complaints).");
    var mined = await app.Services.GetRequiredService<MiningJob>().RunAsync();
    var topics = await app.Services.GetRequiredService<TopicJob>().RunAsync();
    Console.WriteLine($"Demo: {topics.Topics} topics of negative feedback over {topics.Assigned} negative turns.");
    var path = Path.Combine(options.DataDirectory!, "exports", "demo-dpo.jsonl");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    int exported;
    await using (var file = File.Create(path))
        exported = await app.Services.GetRequiredService<DpoExport>().WriteAsync(demoProject, file);
    Console.WriteLine($"Demo: mined {mined.TotalPairs} new pairs; {exported} demo pairs exported to {path}");
    Console.WriteLine(File.ReadLines(path).FirstOrDefault());
    // The first-start link reads project 'default'; the demo's conversations are in 'demo', so it gets a link of its own.
    var readKey = await keys.CreateKeyAsync(demoProject, KeyKind.Read);
    Console.WriteLine($"Demo: its dashboard, with a read key for project '{demoProject}' (shown only this once):");
    Console.WriteLine($"    {Dashboard.Url(url)}#key={readKey}");
}

/// <summary>A running count on one terminal line of stderr (synchronous, so it never prints after the summary).</summary>
internal sealed class ConsoleProgress(string unit) : IProgress<int>
{
    public void Report(int value) => Console.Error.Write($"\rExporting… {value} {unit}");
}
