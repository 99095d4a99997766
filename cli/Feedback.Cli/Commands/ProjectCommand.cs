using System.CommandLine;
using Feedback.Analytics.Projects;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback project create NAME</c>, and <c>project key create</c> (<see cref="ProjectKeyCommand"/>).</summary>
public static class ProjectCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var name = new Argument<string>("name") { Description = "Project name: a-z, 0-9, '-' and '_'" };
        var create = new Command("create", "Create a project and print its write key (shown once)") { name };
        create.SetAction(async (result, ct) =>
        {
            using var store = await ProjectStore.OpenAsync(result.GetValue(dataDir)!, ct);
            var key = await new ProjectKeys(store.Store).CreateProjectAsync(result.GetValue(name)!, ct);
            Console.WriteLine($"Created project '{result.GetValue(name)}'. Its write key (shown only this once):");
            Console.WriteLine($"    {key}");
            return 0;
        });
        return new Command("project", "Manage projects") { create, new Command("key", "Manage a project's keys") { ProjectKeyCommand.Create(dataDir) } };
    }
}
