namespace Feedback.Cli;

/// <summary>A running count on one terminal line of stderr (synchronous, so it never prints after the summary).</summary>
public sealed class ConsoleProgress(string unit) : IProgress<int>
{
    public void Report(int value) => Console.Error.Write($"\rExporting… {value} {unit}");
}
