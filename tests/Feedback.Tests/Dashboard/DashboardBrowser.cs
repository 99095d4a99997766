using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Feedback.Tests.Dashboard;

/// <summary>
/// Debian's Chromium driven by playwright-core (browser/dashboard-check.mjs; browser.targets installs both): opens a
/// dashboard link as a person would and reports what it saw as JSON, leaving a screenshot in artifacts/.
/// </summary>
public static class DashboardBrowser
{
    private const string Chromium = "/usr/bin/chromium";

    private static string BrowserDirectory =>
        typeof(DashboardBrowser).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "DashboardBrowserDir").Value!;

    public static void AssertInstalled() =>
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: the test build installs Debian's chromium package (build/install-chromium.sh); run it as root, or apt-get install chromium.");

    /// <summary>A fresh path for a screenshot in the test output's artifacts directory.</summary>
    public static string Screenshot(string name)
    {
        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", name);
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        return screenshot;
    }

    public static async Task<JsonObject> RunAsync(string url, string screenshot, ITestOutputHelper output)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = BrowserDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "dashboard-check.mjs", url, screenshot }) info.ArgumentList.Add(arg);
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
        output.WriteLine(await stderr);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(node.ExitCode == 0 && lines.Length > 0, $"node exited {node.ExitCode}: {await stderr}");
        output.WriteLine(lines[^1]);
        return JsonNode.Parse(lines[^1])!.AsObject();
    }
}
