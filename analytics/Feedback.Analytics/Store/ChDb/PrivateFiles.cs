using System.Runtime.InteropServices;

namespace Feedback.Analytics.Store.ChDb;

/// <summary>
/// Keeps the store's files to their owner. chDB creates its parts, logs and metadata itself, with the process's
/// umask (commonly 022, so 0644 files other local users can read); the only way they are private from their
/// creation is a process umask of 077, set before the engine writes anything. The process is Feedback's own
/// (<c>feedback</c> or its tests), and everything it writes (exports, server.json) is meant to be private too.
/// </summary>
public static partial class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Sets the umask to 077 and makes <paramref name="dataDirectory"/> (and its parents as needed) 0700.</summary>
    public static void Apply(string dataDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
            return;
        }
        _ = Umask(0b000_111_111);
        Directory.CreateDirectory(dataDirectory, DirectoryMode);
        // A directory made by an earlier version (0755) is closed, so its older 0644 files cannot be reached either.
        File.SetUnixFileMode(dataDirectory, DirectoryMode);
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
