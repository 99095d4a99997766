namespace Feedback.Analytics.Schema.Cluster;

/// <summary>
/// The name of a cluster in the servers' <c>remote_servers</c>. Only letters, digits, '_', '-' and '.' are taken,
/// so the name can go into the DDL quoted as is.
/// </summary>
public sealed record ClusterName
{
    public ClusterName(string name)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw new ArgumentException($"A cluster name is letters, digits, '_', '-' and '.', not '{name}'.", nameof(name));
        Name = name;
    }

    public string Name { get; }

    public string Literal => $"'{Name}'";

    public string OnCluster => $" ON CLUSTER '{Name}'";
}
