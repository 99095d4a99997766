using System.CommandLine;
using Feedback.Server.Hosting;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback health</c>: exit code 0 when a Feedback process reports healthy (for container healthchecks).</summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Health endpoint to check", DefaultValueFactory = _ => $"http://127.0.0.1:{FeedbackHostOptions.DefaultPort}/health" };
        var command = new Command("health", "Exit 0 when a Feedback process reports healthy (for container healthchecks)") { url };
        command.SetAction(async (result, ct) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(result.GetValue(url), ct);
                Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                return response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (HttpRequestException e)
            {
                Console.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }
}
