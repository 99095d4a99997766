using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Feedback.Tests.Dashboard;

/// <summary>
/// Runs a Node script of the browser folder, which drives Debian's Chromium with playwright-core (browser.targets
/// installs both), and returns the JSON line it prints last; or a file of Node's test runner. Shared by the dashboard
/// and browser capture tests.
/// </summary>
internal static class BrowserScript
{
    public const string Chromium = "/usr/bin/chromium";

    public static string Directory =>
        typeof(BrowserScript).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "DashboardBrowserDir").Value!;

    public static void AssertChromiumInstalled() =>
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: the test build installs Debian's chromium package (build/install-chromium.sh); run it as root, or apt-get install chromium.");

    /// <summary>A fresh path for a file (a screenshot) in the test output's artifacts directory.</summary>
    public static string Artifact(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "artifacts", name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        return path;
    }

    public static async Task<JsonObject> RunAsync(ITestOutputHelper output, string script, params string[] args)
    {
        var (exitCode, stdout, stderr) = await NodeAsync([script, .. args]);
        output.WriteLine(stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == 0 && lines.Length > 0, $"node exited {exitCode}: {stderr}");
        output.WriteLine(lines[^1]);
        return JsonNode.Parse(lines[^1])!.AsObject();
    }

    /// <summary>Runs a file of Node's own test runner (<c>node --test</c>) and fails with its report when a test fails.</summary>
    public static async Task TestAsync(ITestOutputHelper output, string testFile)
    {
        var (exitCode, stdout, stderr) = await NodeAsync(["--test", "--test-reporter=spec", testFile]);
        output.WriteLine(stdout);
        Assert.True(exitCode == 0, $"node --test {testFile} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> NodeAsync(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var node = System.Diagnostics.Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // a bound against a hung browser, not a speed check
        try
        {
            await node.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }
        return (node.ExitCode, await stdout, await stderr);
    }
}
