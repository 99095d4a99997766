using System.Net;
using System.Runtime.Versioning;
using Feedback.Server.Hosting;

namespace Feedback.Tests.Store;

/// <summary>
/// The store's files are the owner's only: the data directory 0700 and nothing under it readable by others,
/// although chDB creates its files itself (the process umask is 077 from the engine's opening on).
/// </summary>
[UnsupportedOSPlatform("windows")]
[Collection(SharedStore.Name)]
public sealed class PrivateFilesTests(EmbeddedStore store)
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task The_data_directory_is_0700_and_no_file_of_the_store_is_open_to_others()
    {
        var (_, key) = await store.NewProjectAsync();
        await using (var host = await store.StartHostAsync())
        {
            using var http = RawEvents.Client(host.Urls.First(), key);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t1"))))).StatusCode);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.DataDirectory));
        var open = new List<string>();
        var seen = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(store.DataDirectory, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            UnixFileMode mode;
            try
            {
                if (new FileInfo(entry).LinkTarget is not null) continue; // a symlink's own mode means nothing
                mode = File.GetUnixFileMode(entry);
            }
            catch (FileNotFoundException)
            {
                continue; // a part merged away meanwhile
            }
            catch (DirectoryNotFoundException)
            {
                continue;
            }
            seen++;
            if ((mode & GroupOrOther) != 0) open.Add($"{entry}: {mode}");
        }

        Assert.True(seen > 50, $"only {seen} entries under the store"); // the engine's parts, metadata and logs were looked at
        Assert.Empty(open);
    }

    [Fact]
    public void Server_json_is_owner_only_even_over_an_older_world_readable_one()
    {
        var directory = Directory.CreateTempSubdirectory("feedback-server-json-").FullName;
        try
        {
            var path = LocalServer.PathIn(directory);
            File.WriteAllText(path, "{}");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            LocalServer.Create("http://127.0.0.1:1").Publish(directory);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal("http://127.0.0.1:1", LocalServer.Find(directory)!.Url);
            Assert.Equal([path], Directory.GetFiles(directory)); // no temporary file left
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
