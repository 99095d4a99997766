using System.CommandLine;
using Feedback.Server.Hosting;

namespace Feedback.Cli;

/// <summary>Options more than one command takes.</summary>
public static class CliOptions
{
    /// <summary><c>--data-dir</c>, which every command takes.</summary>
    public static Option<string> DataDirectory() => new("--data-dir")
    {
        Description = "Where the embedded store keeps its data (env FEEDBACK_DATA_DIR)",
        DefaultValueFactory = _ => FeedbackHostOptions.DefaultDataDirectory,
        Recursive = true,
    };

    public static Option<int> MineEvery() => new("--mine-every") { Description = "Seconds between mining runs (0: never)", DefaultValueFactory = _ => 30 };

    public static Option<string> Listen() => new("--listen") { Description = "Address to listen on (containers: 0.0.0.0)", DefaultValueFactory = _ => "127.0.0.1" };

    public static Option<int> Seed() => new("--seed") { Description = "Random seed: the same seed gives the same events", DefaultValueFactory = _ => 1 };

    public static Option<int> Conversations() => new("--conversations") { Description = "How many conversations", DefaultValueFactory = _ => 1000 };
}
