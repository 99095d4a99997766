using Microsoft.Extensions.Logging;

namespace Feedback.Delivery;

/// <summary>
/// Batches kept on disk until the server has settled them, so events survive the app being offline or killed.
/// A batch is written to a temporary file, flushed to disk, then renamed: a crash mid-write leaves only a
/// temporary file, which is discarded, never a half batch. Files are JSON Lines (one event per line), named so
/// that name order is age order. Over <see cref="FeedbackClientOptions.SpoolMaxBytes"/> the oldest go first.
/// A batch sent but not yet deleted when the app dies is sent again on the next start; the server keeps one
/// copy per event id, so nothing is counted twice.
/// </summary>
internal sealed partial class DiskSpool(string directory, long maxBytes, ILogger logger)
{
    private const string Extension = ".jsonl";
    private long sequence;

    /// <summary>Batches left by an earlier run, oldest first; stray temporary files are removed.</summary>
    public List<PendingBatch> Recover()
    {
        CreatePrivateDirectory(directory);
        foreach (var tmp in Directory.EnumerateFiles(directory, "*.tmp")) File.Delete(tmp);
        return Directory.EnumerateFiles(directory, "*" + Extension).Order(StringComparer.Ordinal)
            .Select(path => new PendingBatch(File.ReadAllLines(path).Where(l => l.Length > 0).Select(System.Text.Encoding.UTF8.GetBytes).ToList(), path))
            .Where(b => b.Events.Count > 0 || Delete(b))
            .ToList();
    }

    /// <summary>Writes a new batch durably and returns it with its file.</summary>
    public PendingBatch Persist(PendingBatch batch)
    {
        var name = $"{DateTime.UtcNow.Ticks:D20}-{Interlocked.Increment(ref sequence):D6}";
        batch.File = Path.Combine(directory, name + Extension);
        Write(batch);
        return batch;
    }

    /// <summary>Rewrites a batch after part of it was settled (or deletes it when nothing is left).</summary>
    public static void Update(PendingBatch batch)
    {
        if (batch.File is null) return;
        if (batch.Events.Count == 0) Delete(batch);
        else Write(batch);
    }

    public static bool Delete(PendingBatch batch)
    {
        if (batch.File is not null) File.Delete(batch.File);
        batch.File = null;
        return false;
    }

    /// <summary>Drops the oldest batches while the spool is over its size cap; returns how many events went.</summary>
    public int Evict(List<PendingBatch> pending)
    {
        var dropped = 0;
        var total = pending.Sum(b => b.Bytes + b.Events.Count);
        while (total > maxBytes && pending.Count > 1)
        {
            var oldest = pending[0];
            total -= oldest.Bytes + oldest.Events.Count;
            dropped += oldest.Events.Count;
            Delete(oldest);
            pending.RemoveAt(0);
        }
        if (dropped > 0) LogEvicted(logger, dropped, maxBytes);
        return dropped;
    }

    // Spooled events hold prompts and answers: owner-only from the moment a file exists (no chmod afterwards).
    private static readonly FileStreamOptions PrivateFile = CreatePrivateFileOptions();

    private static FileStreamOptions CreatePrivateFileOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(path, ownerOnly);
        File.SetUnixFileMode(path, ownerOnly); // a directory made by an earlier version is closed too
    }

    private static void Write(PendingBatch batch)
    {
        var tmp = batch.File + ".tmp";
        using (var file = new FileStream(tmp, PrivateFile))
        {
            foreach (var e in batch.Events)
            {
                file.Write(e);
                file.WriteByte((byte)'\n');
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(tmp, batch.File!, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback: spool over {MaxBytes} bytes, dropped the {Count} oldest events")]
    private static partial void LogEvicted(ILogger logger, int count, long maxBytes);
}
