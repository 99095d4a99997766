using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Topics;
using Feedback.Server.Hosting;

namespace Feedback.Cli.Demo;

/// <summary><c>serve --demo</c>: demo traffic through the SDK and the capture API into project <c>demo</c>, mined, its topics found, exported, and its dashboard link.</summary>
public static class DemoRun
{
    public static async Task RunAsync(WebApplication app, FeedbackHostOptions options)
    {
        var keys = app.Services.GetRequiredService<ProjectKeys>();
        const string demoProject = "demo";
        var key = await keys.ExistsAsync(demoProject) ? await keys.CreateKeyAsync(demoProject, KeyKind.Write) : await keys.CreateProjectAsync(demoProject);
        var url = app.Services.GetRequiredService<LocalServer>().Url;
        await using (var client = new FeedbackClient(new FeedbackClientOptions { Endpoint = new Uri(url), WriteKey = key }))
        {
            DemoTraffic.Send(client);
            await client.FlushAsync();
            Console.WriteLine($"Demo: sent {client.Sent} events through the SDK to {url} (project '{demoProject}').");
        }
        var month = DemoMonth.Events(DateTimeOffset.UtcNow);
        var accepted = await DemoMonth.SendAsync(url, key, month);
        Console.WriteLine($"Demo: sent a month of simulated traffic, {accepted} of {month.Count} events accepted ({DemoMonth.Conversations} conversations, {DemoMonth.Complaints} planted complaints).");
        var mined = await app.Services.GetRequiredService<MiningJob>().RunAsync();
        var topics = await app.Services.GetRequiredService<TopicJob>().RunAsync();
        Console.WriteLine($"Demo: {topics.Topics} topics of negative feedback over {topics.Assigned} negative turns.");
        var path = Path.Combine(options.DataDirectory!, "exports", "demo-dpo.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        int exported;
        await using (var file = File.Create(path))
            exported = await app.Services.GetRequiredService<DpoExport>().WriteAsync(demoProject, file);
        Console.WriteLine($"Demo: mined {mined.TotalPairs} new pairs; {exported} demo pairs exported to {path}");
        Console.WriteLine(File.ReadLines(path).FirstOrDefault());
        // The first-start link reads project 'default'; the demo's conversations are in 'demo', so it gets a link of its own.
        var readKey = await keys.CreateKeyAsync(demoProject, KeyKind.Read);
        Console.WriteLine($"Demo: its dashboard, with a read key for project '{demoProject}' (shown only this once):");
        Console.WriteLine($"    {Dashboard.Url(url)}#key={readKey}");
    }
}
