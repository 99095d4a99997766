namespace Feedback.Analytics.Export;

/// <summary>Writes an export file completely (temp file, then rename) before anything else happens.</summary>
public static class ExportFile
{
    /// <summary>
    /// Runs <paramref name="write"/> into a temp file next to <paramref name="path"/>, renames it into place, then
    /// runs <paramref name="committed"/> (advancing a watermark). If writing fails, the temp file goes and nothing advances.
    /// </summary>
    public static async Task<T> WriteAsync<T>(string path, Func<Stream, Task<T>> write, Func<Task> committed)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".partial";
        T result;
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
                result = await write(file).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        // The file is complete and in place: from here on the rows count as delivered.
        await committed().ConfigureAwait(false);
        return result;
    }
}
