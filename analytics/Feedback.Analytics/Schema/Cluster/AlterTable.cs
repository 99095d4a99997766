namespace Feedback.Analytics.Schema.Cluster;

/// <summary>A migration's <c>ALTER TABLE name operation</c> (one operation a statement, as the migration files write them).</summary>
public sealed record AlterTable(string Name, string Operation)
{
    private const string Head = "ALTER TABLE ";

    // Operations on columns; a Distributed table has columns (of its own) but no parts, indexes or mutations.
    private static readonly string[] ColumnOperations = ["ADD COLUMN ", "DROP COLUMN ", "MODIFY COLUMN ", "RENAME COLUMN ", "COMMENT COLUMN "];

    public static AlterTable? TryParse(string statement)
    {
        if (!statement.StartsWith(Head, StringComparison.Ordinal)) return null;
        var rest = statement[Head.Length..];
        var nameEnd = rest.IndexOf(' ', StringComparison.Ordinal);
        if (nameEnd <= 0 || rest.Contains(';', StringComparison.Ordinal)) return null;
        return new AlterTable(rest[..nameEnd], rest[(nameEnd + 1)..].Trim());
    }

    public bool ChangesColumns => ColumnOperations.Any(o => Operation.StartsWith(o, StringComparison.Ordinal));

    public string On(string table, string onCluster) => $"ALTER TABLE {table}{onCluster} {Operation}";
}
