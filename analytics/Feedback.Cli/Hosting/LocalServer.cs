using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Feedback.Events;

namespace Feedback.Cli.Hosting;

/// <summary>
/// How a command finds the server that holds a data directory: <c>server.json</c> in that directory names its
/// address and an admin token (readable by the owner only), so <c>feedback mine</c> and <c>feedback export</c>
/// work while <c>feedback serve</c> runs (chDB lets only one process open the store).
/// </summary>
public sealed record LocalServer(string Url, string AdminToken)
{
    public const string TokenHeader = "X-Feedback-Admin";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "server.json");

    public static LocalServer Create(string url) => new(url, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    public void Publish(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, JsonSerializer.Serialize(this, FeedbackJson.Options));
    }

    public static void Withdraw(string dataDirectory) => File.Delete(PathIn(dataDirectory));

    public static LocalServer? Find(string dataDirectory) =>
        File.Exists(PathIn(dataDirectory)) ? JsonSerializer.Deserialize<LocalServer>(File.ReadAllText(PathIn(dataDirectory)), FeedbackJson.Options) : null;

    public bool Admits(string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(AdminToken));

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.Add(TokenHeader, AdminToken);
        return client;
    }
}
