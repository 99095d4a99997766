using System.Diagnostics;
using System.Text;
using System.Xml.Linq;

namespace Feedback.Tests.Sdk;

/// <summary>
/// The three SDK packages as `dotnet pack` makes them (sdk/Feedback.Sdk.slnf, Release), in a folder feed of their own,
/// packed once for the tests that use them; the folder is deleted afterwards.
/// </summary>
public sealed class PackedSdk : IAsyncLifetime
{
    public static readonly string[] Ids = ["Feedback.Events", "Feedback.Sdk", "Feedback.Sdk.AI"];

    private readonly string work = Path.Combine(Path.GetTempPath(), "feedback-packages-" + Guid.NewGuid().ToString("N"));

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The folder feed the packages are in.</summary>
    public string Feed => Path.Combine(work, "feed");

    /// <summary>The one version of the three packages, as sdk/Directory.Build.props declares it.</summary>
    public string Version { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Version = XDocument.Load(Path.Combine(RepositoryRoot, "sdk", "Directory.Build.props")).Descendants("FeedbackSdkVersion").Single().Value;
        Directory.CreateDirectory(Feed);
        await DotnetCli.RunAsync(RepositoryRoot, new Dictionary<string, string>(),
            "pack", Path.Combine("sdk", "Feedback.Sdk.slnf"), "-c", "Release", "-o", Feed);
    }

    /// <summary>The project file a package is made from.</summary>
    public string ProjectFile(string id) => Path.Combine(RepositoryRoot, "sdk", id, id + ".csproj");

    /// <summary>A version from Directory.Packages.props, so the test app takes what the repository builds with.</summary>
    public string CentralVersion(string package) =>
        XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == package).Attribute("Version")!.Value;

    public Task DisposeAsync()
    {
        Directory.Delete(work, recursive: true);
        return Task.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Feedback.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Feedback.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Runs the `dotnet` command as a child process and fails the test, with its output, when it fails.</summary>
internal static class DotnetCli
{
    // Restores and builds in a child process: a generous bound for a loaded machine, not a speed claim.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        // No MSBuild or compiler server outlives the test.
        if (args[0] is "build" or "pack" or "restore") info.ArgumentList.Add("--disable-build-servers");
        // The test host runs under `dotnet test`, whose MSBuild settings would leak into this unrelated build.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(name);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment) info.Environment[name] = value;

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        output.Append(await stdout).Append(await stderr);
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited {process.ExitCode}:\n{output}");
        return output.ToString();
    }
}
