using System.Text.RegularExpressions;

namespace Feedback.Analytics.Store.ChDb;

/// <summary>
/// Decides, from the engine's own parse of a statement (<c>EXPLAIN AST</c>), whether a client of the ClickHouse
/// HTTP interface may run it: the interface must reach only the store, never the host's files, the network,
/// executables, other servers or the engine's settings (docs/clickhouse-http.md). Because the engine's parser
/// reads the statement, spelling (case, quoting, comments) cannot hide a function from this check.
/// </summary>
public static partial class StatementGuard
{
    /// <summary>Table functions that only compute or read the store.</summary>
    public static readonly IReadOnlySet<string> AllowedTableFunctions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "numbers", "numbers_mt", "zeros", "zeros_mt", "generateSeries", "generate_series", "primes", "values", "null", "view",
        "format", "input", "generateRandom", "merge", "loop",
    };

    /// <summary>Table and database engines that keep their data in the store (or nowhere).</summary>
    public static readonly IReadOnlySet<string> AllowedEngines = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "MergeTree", "ReplacingMergeTree", "SummingMergeTree", "AggregatingMergeTree", "CollapsingMergeTree",
        "VersionedCollapsingMergeTree", "CoalescingMergeTree", "GraphiteMergeTree", "Memory", "Null", "Log", "TinyLog", "StripeLog",
        "Set", "Join", "Buffer", "Merge", "View", "MaterializedView", "Atomic", "Ordinary",
    };

    // Statements that act on the host or the engine rather than on data: backups write files, ATTACH … FROM reads
    // a host path (which EXPLAIN AST does not even show), SYSTEM reloads, drops caches and shuts down, KILL stops
    // the product's own queries.
    private static readonly string[] RefusedStatements = ["SYSTEM", "BackupQuery", "AttachQuery", "KillQueryQuery", "Kill"];

    /// <summary>
    /// Why the statement whose AST is <paramref name="ast"/> is refused, or null. <paramref name="denied"/> holds
    /// every table function and engine name of the engine outside the allow-lists (see <see cref="Denied"/>); a
    /// scalar function of the same name (<c>file()</c> reads a host file) is refused too.
    /// </summary>
    public static string? Refusal(string ast, IReadOnlySet<string> denied)
    {
        var lines = ast.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return null;
        var root = lines[0].TrimStart();
        if (RefusedStatements.Any(r => root.StartsWith(r, StringComparison.Ordinal)))
            return $"{root.Split(' ')[0]} statements are not allowed here";
        foreach (var line in lines)
        {
            var node = line.TrimStart();
            var depth = line.Length - node.Length;
            if (SetNode().IsMatch(node))
                return "SET and SETTINGS are not allowed here; pass settings as URL parameters";
            if (node.StartsWith("Dictionary", StringComparison.Ordinal) || node.StartsWith("FunctionWithKeyValueArguments", StringComparison.Ordinal))
                return "dictionaries are not allowed here (their sources reach files, URLs and other servers)";
            // Directly under the statement, a literal is the path of INTO OUTFILE or FROM INFILE: a host file.
            if (depth == 1 && node.StartsWith("Literal", StringComparison.Ordinal))
                return "INTO OUTFILE and FROM INFILE are not allowed here";
            if (FunctionNode().Match(node) is { Success: true } f && denied.Contains(f.Groups[1].Value))
                return $"'{f.Groups[1].Value}' reaches outside the store and is not allowed here; table functions allowed: {string.Join(", ", AllowedTableFunctions.Order(StringComparer.Ordinal))}";
        }
        return null;
    }

    /// <summary>The names to refuse: every table function, table engine and database engine the engine knows, minus the allow-lists.</summary>
    public static IReadOnlySet<string> Denied(IEnumerable<string> tableFunctions, IEnumerable<string> engines) =>
        new HashSet<string>(
            tableFunctions.Where(f => !AllowedTableFunctions.Contains(f)).Concat(engines.Where(e => !AllowedEngines.Contains(e))),
            StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A statement that is exactly <c>INSERT INTO table [(columns)] FORMAT name</c>, then a line break or nothing,
    /// then its data, as drivers send inserts, split where ClickHouse starts reading the data (after that line
    /// break): the statement, the format's name and the byte offset of the data; null for any other statement. No
    /// comment, literal or function can hide in such a statement, so it needs no parse to be let through.
    /// </summary>
    public static PlainInsert? SplitPlainInsert(ReadOnlySpan<byte> sql)
    {
        var head = System.Text.Encoding.UTF8.GetString(sql[..Math.Min(sql.Length, 4096)]);
        if (PlainInsertPattern().Match(head) is not { Success: true } m) return null;
        return new PlainInsert(m.Groups["statement"].Value, m.Groups["format"].Value, System.Text.Encoding.UTF8.GetByteCount(head.AsSpan(0, m.Length)));
    }

    [GeneratedRegex(@"\A(?<statement>\s*INSERT\s+INTO\s+(?:TABLE\s+)?[\w.`]+\s*(?:\([\w\s,.`]*\))?)\s*FORMAT\s+(?<format>\w+)[ \t]*(?:\r?\n|\z)", RegexOptions.IgnoreCase)]
    private static partial Regex PlainInsertPattern();

    [GeneratedRegex(@"^Set\b")]
    private static partial Regex SetNode();

    [GeneratedRegex(@"^Function (\S+)")]
    private static partial Regex FunctionNode();
}
