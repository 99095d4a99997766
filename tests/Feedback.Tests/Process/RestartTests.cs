using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Feedback.Server.Hosting;

namespace Feedback.Tests.Process;

/// <summary>The real `feedback` command in child processes: data written before a restart is read after it.</summary>
public sealed partial class RestartTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "feedback-restart-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_store_survives_a_restart_and_the_commands_work_with_and_without_the_server()
    {
        string key;
        await using (var first = await FeedbackProcess.ServeAsync(dataDirectory))
        {
            key = KeyLine().Match(first.Output).Groups[1].Value;
            Assert.StartsWith("fbw_", key, StringComparison.Ordinal);
            using var http = RawEvents.Client(first.Url, key);
            var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(
                RawEvents.Turn("t1", "Capital of Australia?", "Sydney."), RawEvents.Edit("t1", "Canberra."))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Server stopped: the commands open the store themselves.
        Assert.Contains("Mined 1 new pairs", await FeedbackProcess.RunAsync(dataDirectory, "mine"), StringComparison.Ordinal);
        var exportFile = Path.Combine(dataDirectory, "out.jsonl");
        await FeedbackProcess.RunAsync(dataDirectory, "export", "--out", exportFile);
        var pair = JsonNode.Parse(Assert.Single(File.ReadAllLines(exportFile)))!;
        Assert.Equal("Canberra.", (string)pair["chosen"]!);
        Assert.Equal("Sydney.", (string)pair["rejected"]!);

        // Restarted server: no new default key, the old key still writes, and the commands go through the server.
        await using (var second = await FeedbackProcess.ServeAsync(dataDirectory))
        {
            Assert.DoesNotMatch(KeyLine(), second.Output);
            using var http = RawEvents.Client(second.Url, key);
            var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(
                RawEvents.Turn("t2", "2+2?", "5"), RawEvents.Edit("t2", "4"))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            Assert.Contains("Mined 1 new pairs", await FeedbackProcess.RunAsync(dataDirectory, "mine"), StringComparison.Ordinal);
            await FeedbackProcess.RunAsync(dataDirectory, "export", "--out", exportFile);
            Assert.Equal(2, File.ReadAllLines(exportFile).Length);
        }
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);

    [GeneratedRegex(@"^\s+(fbw_\S+)$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();
}

/// <summary>Runs the built `feedback` command (feedback.dll beside the tests) as a child process.</summary>
internal sealed partial class FeedbackProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2); // a generous bound, not a speed claim
    private readonly System.Diagnostics.Process process;
    private readonly System.Text.StringBuilder output = new();

    private FeedbackProcess(System.Diagnostics.Process process) => this.process = process;

    public string Url { get; private set; } = "";

    public string Output { get { lock (output) return output.ToString(); } }

    public static async Task<FeedbackProcess> ServeAsync(string dataDirectory, params string[] more)
    {
        // A first start prints the new project's keys after the ready line.
        var firstStart = !Directory.Exists(dataDirectory) || !Directory.EnumerateFileSystemEntries(dataDirectory).Any();
        var running = new FeedbackProcess(Start(dataDirectory, ["serve", "--port", "0", "--mine-every", "0", .. more]));
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        running.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { ready.TrySetException(new InvalidOperationException("feedback serve exited:\n" + running.Output)); return; }
            lock (running.output) running.output.AppendLine(e.Data);
            if (ReadyLine().Match(e.Data) is { Success: true } m) ready.TrySetResult(m.Groups[1].Value);
        };
        running.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (running.output) running.output.AppendLine(e.Data); };
        running.process.BeginOutputReadLine();
        running.process.BeginErrorReadLine();
        running.Url = await ready.Task.WaitAsync(Patience);
        // Wait for the last key line, not for a time: a busy machine prints it later.
        if (firstStart) await Eventually.TrueAsync(() => Task.FromResult(DashboardKeyLine().IsMatch(running.Output)), "the first start prints its keys", Patience);
        return running;
    }

    public static async Task<string> RunAsync(string dataDirectory, params string[] args)
    {
        using var process = Start(dataDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        Assert.True(process.ExitCode == 0, $"feedback {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }

    /// <summary>Runs a command that may fail: its exit code and what it wrote to both streams.</summary>
    public static async Task<(int ExitCode, string Output)> TryRunAsync(string dataDirectory, params string[] args)
    {
        using var process = Start(dataDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs a command with <paramref name="stdin"/> piped in: its exit code and what it wrote to both streams.</summary>
    public static async Task<(int ExitCode, string Output)> RunWithInputAsync(string dataDirectory, string stdin, params string[] args)
    {
        using var process = Start(dataDirectory, args, redirectInput: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static System.Diagnostics.Process Start(string dataDirectory, string[] args, bool redirectInput = false)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = redirectInput, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(Feedback.Cli.CliOptions).Assembly.Location); // feedback.dll
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--data-dir");
        info.ArgumentList.Add(dataDirectory);
        return System.Diagnostics.Process.Start(info)!;
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or the OOM killer would stop it.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync().WaitAsync(Patience);
    }

    /// <summary>Waits until the output has a line matching <paramref name="pattern"/> and returns its first group.</summary>
    public async Task<string> WaitForAsync(Regex pattern)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (pattern.Match(Output) is { Success: true } m) return m.Groups[1].Value;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no line like {pattern} in:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM: the graceful stop a user's Ctrl+C or a service manager gives.
            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(Patience);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
        process.Dispose();
    }

    [GeneratedRegex(@"capture API on (http://\S+),")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"/dashboard/#key=fbr_\S+")]
    private static partial Regex DashboardKeyLine();
}
