using Feedback.Cli.ClickHouseHttp;

namespace Feedback.Cli.Hosting;

/// <summary>Settings of the embedded single-process mode (docs/embedded.md).</summary>
public sealed class EmbeddedOptions
{
    public const int DefaultPort = 8400;

    public static string DefaultDataDirectory =>
        Environment.GetEnvironmentVariable("FEEDBACK_DATA_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "feedback");

    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>Port of the capture API on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>How often the miner runs; zero turns the schedule off.</summary>
    public TimeSpan MineEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The ClickHouse HTTP interface over the store; null (the default) leaves it off.</summary>
    public ClickHouseHttpOptions? ClickHouseHttp { get; set; }
}
