using System.CommandLine;
using Feedback.Cli;
using Feedback.Cli.Commands;

// The `feedback` command: one file per command in Commands/. The store commands (mine, export, trends, compare,
// topics, train-predictor, train --project, report, review) reach the data through Backends/StoreBackend: the running server, or the store.
var dataDir = CliOptions.DataDirectory();
var root = new RootCommand("Feedback: turn what chat users do into preference data. Without a command: serve.")
{
    dataDir,
    ServeCommand.Create(dataDir),
    ProjectCommand.Create(dataDir),
    MineCommand.Create(dataDir),
    TopicsCommand.Create(dataDir),
    ExportCommand.Create(dataDir),
    TrendsCommand.Create(dataDir),
    CompareCommand.Create(dataDir),
    ReviewCommand.Create(dataDir),
    ClassifyCommand.Create(),
    TrainCommand.Create(dataDir),
    TrainTopicsCommand.Create(),
    TrainPredictorCommand.Create(dataDir),
    ReportCommand.Create(dataDir),
    SimulateCommand.Create(dataDir),
    EvaluateCommand.Create(),
    IngestCommand.Create(),
    WorkerCommand.Create(),
    KafkaMockCommand.Create(),
    HealthCommand.Create(),
    SchemaCommand.Create(),
};
return await root.Parse(args.Length == 0 ? ["serve"] : args).InvokeAsync();
