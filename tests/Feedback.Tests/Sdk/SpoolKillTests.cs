using System.Diagnostics;
using System.Runtime.Versioning;
using Feedback.Analytics.Events;

namespace Feedback.Tests.Sdk;

/// <summary>A real crash: the app process is SIGKILLed with a spool on disk, and a restarted client delivers it.</summary>
[UnsupportedOSPlatform("windows")]
[Collection(SharedStore.Name)]
public sealed class SpoolKillTests(EmbeddedStore store) : IDisposable
{
    private readonly string spool = Path.Combine(Path.GetTempPath(), "feedback-spool-kill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Events_spooled_before_a_kill_are_delivered_once_after_restart()
    {
        var (project, key) = await store.NewProjectAsync();
        var child = Path.Combine(AppContext.BaseDirectory, "Feedback.Tests.SpoolChild.dll");
        // Under the common umask 022 (the test process itself runs with 077, set by the embedded store), so that
        // owner-only spool files come from the SDK, not from the environment.
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "umask 022 && exec dotnet \"$0\" \"$@\"", child, spool, $"http://127.0.0.1:{ChaosServer.FreePort()}", "30" }) info.ArgumentList.Add(a);

        using (var app = System.Diagnostics.Process.Start(info)!)
        {
            Assert.Equal("spooled", await app.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2)));
            app.Kill(); // SIGKILL: no dispose, no final flush
            await app.WaitForExitAsync();
        }
        var spooledEvents = Directory.GetFiles(spool, "*.jsonl").Sum(f => File.ReadAllLines(f).Length);
        Assert.Equal(30, spooledEvents);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(spool));
        Assert.All(Directory.GetFiles(spool), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));

        await using var ingest = await store.StartHostAsync();
        await using (var restarted = new FeedbackClient(new FeedbackClientOptions { Endpoint = new Uri(ingest.Urls.First()), WriteKey = key, SpoolDirectory = spool }))
        {
            await restarted.FlushAsync();
            Assert.Equal(30, restarted.Sent);
        }

        Assert.Empty(Directory.GetFiles(spool));
        Assert.Equal(30, await new EventStore(store.Engine).CountAsync(project));
    }

    public void Dispose()
    {
        if (Directory.Exists(spool)) Directory.Delete(spool, recursive: true);
    }
}
