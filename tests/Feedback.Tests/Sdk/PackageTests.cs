using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Feedback.Events;

namespace Feedback.Tests.Sdk;

/// <summary>
/// The SDK as a user gets it: the packages `dotnet pack` makes, taken by PackageReference only. Project references hide
/// what packages can get wrong (a dependency missing from the .nuspec, a wrong id or version, no docs or symbols).
/// </summary>
[Collection(SharedStore.Name)]
public sealed partial class PackageTests(EmbeddedStore store, PackedSdk sdk) : IClassFixture<PackedSdk>, IDisposable
{
    private readonly string app = Path.Combine(Path.GetTempPath(), "feedback-package-app-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Each_package_has_its_id_version_description_licence_readme_docs_symbols_and_dependencies()
    {
        foreach (var id in PackedSdk.Ids)
        {
            var project = XDocument.Load(sdk.ProjectFile(id));
            using var package = ZipFile.OpenRead(Path.Combine(sdk.Feed, $"{id}.{sdk.Version}.nupkg"));
            var nuspec = XDocument.Load(package.GetEntry(id + ".nuspec")!.Open());
            string Field(string name) => nuspec.Descendants().Single(e => e.Name.LocalName == name).Value;

            Assert.Equal(id, Field("id"));
            Assert.Equal(sdk.Version, Field("version"));
            Assert.Equal(project.Descendants("Description").Single().Value, Field("description"));
            var license = nuspec.Descendants().Single(e => e.Name.LocalName == "license");
            Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
            Assert.Equal("README.md", Field("readme"));
            Assert.StartsWith("# " + id, new StreamReader(package.GetEntry("README.md")!.Open()).ReadToEnd(), StringComparison.Ordinal);
            Assert.Equal("git", (string?)nuspec.Descendants().Single(e => e.Name.LocalName == "repository").Attribute("type"));
            Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.dll"));
            Assert.Contains("<member name=", new StreamReader(package.GetEntry($"lib/net10.0/{id}.xml")!.Open()).ReadToEnd(), StringComparison.Ordinal);
            using (var symbols = ZipFile.OpenRead(Path.Combine(sdk.Feed, $"{id}.{sdk.Version}.snupkg")))
                Assert.NotNull(symbols.GetEntry($"lib/net10.0/{id}.pdb"));

            // Exactly what the project references: project references become the sibling packages at the same version,
            // and no pinned transitive package of the repository's build leaks in.
            var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
                .ToDictionary(d => (string)d.Attribute("id")!, d => (string)d.Attribute("version")!);
            var projectReferences = project.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")!)).ToList();
            var packageReferences = project.Descendants("PackageReference").Select(r => (string)r.Attribute("Include")!).ToList();
            Assert.Equal(projectReferences.Concat(packageReferences).Order(), dependencies.Keys.Order());
            foreach (var sibling in projectReferences) Assert.Equal(sdk.Version, dependencies[sibling]);
            foreach (var other in packageReferences) Assert.Equal(sdk.CentralVersion(other), dependencies[other]);
        }
    }

    [Fact]
    public async Task A_new_console_app_with_only_a_PackageReference_records_a_turn_into_a_real_server()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var host = await store.StartHostAsync();
        WriteApp();
        // A packages folder of its own: a Feedback.Sdk of the same version cached by an earlier run can never be used.
        var packages = Path.Combine(app, "packages");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };

        await DotnetCli.RunAsync(app, environment, "build", "-c", "Release");
        var output = await DotnetCli.RunAsync(app, new Dictionary<string, string>(environment)
        {
            ["Feedback__Endpoint"] = host.Urls.First(),
            ["Feedback__WriteKey"] = key,
        }, "bin/Release/net10.0/PackagedApp.dll");

        // The SDK came from the folder feed, as packages.
        Assert.True(File.Exists(Path.Combine(packages, "feedback.sdk.ai", sdk.Version, $"feedback.sdk.ai.{sdk.Version}.nupkg")));
        var libraries = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"))).RootElement.GetProperty("libraries");
        foreach (var id in PackedSdk.Ids)
            Assert.Equal("package", libraries.GetProperty($"{id}/{sdk.Version}").GetProperty("type").GetString());

        var sent = Sent().Match(output);
        Assert.True(sent.Success, output);
        Assert.Equal(("2", "0", "0"), (sent.Groups["sent"].Value, sent.Groups["rejected"].Value, sent.Groups["dropped"].Value));
        var rows = await store.Engine.QueryAsync<EventRow>(
            "SELECT kind, turn_id, user_id, response, model FROM events FINAL WHERE project = {project:String} ORDER BY kind", new { project });
        var turnId = sent.Groups["turn"].Value;
        Assert.Equal(
            [new EventRow(EventKinds.Reaction, turnId, "packaged-user", "", ""), new EventRow(EventKinds.Turn, turnId, "packaged-user", "Canberra.", "packaged-model")],
            rows);
    }

    public void Dispose()
    {
        if (Directory.Exists(app)) Directory.Delete(app, recursive: true);
    }

    /// <summary>
    /// A console app as docs/sdk.md starts one: `AddFeedback()`, a chat client with `UseFeedbackCapture()`, one question,
    /// a thumbs up. It lives outside the repository (its own Directory.*.props stop MSBuild from looking further up) and
    /// adds the folder feed to the machine's package sources, which serve the Microsoft.Extensions packages.
    /// </summary>
    private void WriteApp()
    {
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="feedback-local" value="{sdk.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "PackagedApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Feedback.Sdk.AI" Version="{sdk.Version}" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="{sdk.CentralVersion("Microsoft.Extensions.Hosting")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Feedback;
            using Feedback.AI;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            var builder = Host.CreateApplicationBuilder(args);
            builder.AddFeedback();
            builder.Services.AddChatClient(new OneAnswer()).UseFeedbackCapture();

            FeedbackClient feedback;
            TurnRef turn;
            using (var host = builder.Build())
            {
                var chat = host.Services.GetRequiredService<IChatClient>();
                feedback = host.Services.GetRequiredService<FeedbackClient>();
                var response = await chat.GetResponseAsync("Capital of Australia?", new ChatOptions().WithFeedback(userId: "packaged-user"));
                turn = response.GetFeedbackTurn()!.Value;
                feedback.TrackReaction(turn, Reaction.ThumbsUp);
                await ((IAsyncDisposable)host).DisposeAsync(); // sends what is left
            }
            Console.WriteLine($"turn {turn.TurnId} sent {feedback.Sent} rejected {feedback.Rejected} dropped {feedback.Dropped}");

            sealed class OneAnswer : IChatClient
            {
                public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
                    Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Canberra.")) { ModelId = "packaged-model" });

                public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
                    throw new NotSupportedException();

                public object? GetService(Type serviceType, object? serviceKey = null) => null;

                public void Dispose() { }
            }
            """);
    }

    private sealed record EventRow(string Kind, string TurnId, string UserId, string Response, string Model);

    [GeneratedRegex(@"^turn (?<turn>\S+) sent (?<sent>\d+) rejected (?<rejected>\d+) dropped (?<dropped>\d+)$", RegexOptions.Multiline)]
    private static partial Regex Sent();
}
