using Feedback.Analytics.Store;

namespace Feedback.Analytics.Schema;

/// <summary>One numbered schema migration: its statements, and optionally a step in C#.</summary>
public sealed record Migration(uint Version, string Name, IReadOnlyList<string> Statements)
{
    /// <summary>Run after the statements, for a migration written in C#.</summary>
    public Func<IClickHouse, CancellationToken, Task>? Step { get; init; }

    /// <summary>What a <see cref="Step"/> is as DDL for the cluster layout (Schema/Cluster), which cannot run C#.</summary>
    public IReadOnlyList<string>? ClusterStatements { get; init; }
}
