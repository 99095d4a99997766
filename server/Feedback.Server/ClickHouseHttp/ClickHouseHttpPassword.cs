namespace Feedback.Server.ClickHouseHttp;

/// <summary>
/// Where the ClickHouse HTTP interface's password comes from: the environment variable, else a file, else the
/// command line (which every local user can read in the process list, so it comes last).
/// </summary>
public static class ClickHouseHttpPassword
{
    public const string EnvironmentVariable = "FEEDBACK_CLICKHOUSE_PASSWORD";

    /// <summary>The password, or null when no source gives a non-empty one.</summary>
    public static string? Resolve(string? commandLine, string? file, Func<string, string?> environment)
    {
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
        if (file is not null)
        {
            var first = File.ReadLines(file).FirstOrDefault();
            if (!string.IsNullOrEmpty(first)) return first;
        }
        return string.IsNullOrEmpty(commandLine) ? null : commandLine;
    }
}
