using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Feedback.Events;

namespace Feedback.Server.Hosting;

/// <summary>
/// How a command finds the server that holds a data directory: <c>server.json</c> in that directory names its
/// address and a local token (readable by the owner only), which the server takes on its <c>/v1</c> routes as
/// full access, so <c>feedback mine</c> and <c>feedback export</c> work while <c>feedback serve</c> runs (chDB lets
/// only one process open the store).
/// </summary>
public sealed record LocalServer(string Url, string AdminToken)
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "server.json");

    public static LocalServer Create(string url) => new(url, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    /// <summary>Writes server.json owner-only from its creation (a new file, then renamed over the old one), so the token is never readable by others.</summary>
    public void Publish(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        var tmp = path + "." + Environment.ProcessId + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.Delete(tmp); // a leftover of a crash would keep its old mode: UnixCreateMode applies to new files only
        using (var file = new FileStream(tmp, options))
        {
            file.Write(JsonSerializer.SerializeToUtf8Bytes(this, FeedbackJson.Options));
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static void Withdraw(string dataDirectory) => File.Delete(PathIn(dataDirectory));

    public static LocalServer? Find(string dataDirectory) =>
        File.Exists(PathIn(dataDirectory)) ? JsonSerializer.Deserialize<LocalServer>(File.ReadAllText(PathIn(dataDirectory)), FeedbackJson.Options) : null;

    public bool Admits(string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(AdminToken));

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }
}
