namespace Feedback.Analytics.Schema.Cluster;

/// <summary>
/// A migration's <c>CREATE TABLE IF NOT EXISTS name (columns) ENGINE = Engine[(arguments)] clauses</c>, in its parts.
/// Migration files write the engine on a line of its own, so the parts are found by that line, not by a grammar;
/// a statement of any other shape is not a CreateTable, and the layout refuses it rather than guess.
/// </summary>
public sealed record CreateTable(string Name, string Columns, string Engine, string EngineArguments, string Clauses)
{
    private const string Head = "CREATE TABLE IF NOT EXISTS ";
    private const string EngineLine = "\nENGINE = ";

    public static CreateTable? TryParse(string statement)
    {
        if (!statement.StartsWith(Head, StringComparison.Ordinal)) return null;
        var rest = statement[Head.Length..];
        var nameEnd = rest.IndexOfAny([' ', '\n', '(']);
        var engineAt = rest.IndexOf(EngineLine, StringComparison.Ordinal);
        if (nameEnd <= 0 || engineAt < nameEnd) return null;
        var columns = rest[nameEnd..engineAt].Trim();
        if (!columns.StartsWith('(') || !columns.EndsWith(')')) return null;

        var engineText = rest[(engineAt + EngineLine.Length)..];
        var lineEnd = engineText.IndexOf('\n', StringComparison.Ordinal);
        var engineLine = lineEnd < 0 ? engineText : engineText[..lineEnd];
        var clauses = lineEnd < 0 ? "" : engineText[(lineEnd + 1)..];
        var open = engineLine.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0 && !engineLine.EndsWith(')')) return null;
        var engine = open < 0 ? engineLine.Trim() : engineLine[..open];
        var arguments = open < 0 ? "" : engineLine[(open + 1)..^1];
        if (!engine.EndsWith("MergeTree", StringComparison.Ordinal) || engine.StartsWith("Replicated", StringComparison.Ordinal)) return null;
        return new CreateTable(rest[..nameEnd], columns, engine, arguments, clauses.Trim());
    }

    /// <summary>The same table with another ORDER BY clause (the clauses write it on a line of its own).</summary>
    public CreateTable OrderedBy(string sortingKey) => this with
    {
        Clauses = string.Join('\n', Clauses.Split('\n').Select(line =>
            line.StartsWith("ORDER BY ", StringComparison.Ordinal) ? $"ORDER BY ({sortingKey})" : line)),
    };

    /// <summary>The same table as a replicated one: the engine's replicated form, its Keeper path and replica name first.</summary>
    public string Replicated(string name, string onCluster, string keeperPath, string replica)
    {
        var arguments = EngineArguments.Length == 0 ? "" : ", " + EngineArguments;
        return $"CREATE TABLE IF NOT EXISTS {name}{onCluster}\n{Columns}\nENGINE = Replicated{Engine}('{keeperPath}', '{replica}'{arguments})"
            + (Clauses.Length == 0 ? "" : "\n" + Clauses);
    }
}
