namespace Feedback.Analytics.Store.ChDb;

/// <summary>Another process (a running <c>feedback serve</c>) holds the data directory.</summary>
public sealed class DataDirectoryInUseException(string dataDirectory)
    : Exception($"the data directory {dataDirectory} is in use by another Feedback process")
{
    public string DataDirectory { get; } = dataDirectory;
}
