using System.Collections;
using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using Dapper;
using Feedback.Events;

namespace Feedback.Analytics.Store.Server;

/// <summary>
/// The store on a ClickHouse server, through ClickHouse.Driver: Dapper runs queries (with <c>{name:Type}</c>
/// parameters, the same SQL as the embedded engine), inserts go through the driver's binary insert. Rows map
/// to types by the same snake_case JSON conventions as the embedded engine, so both stores return the same.
/// </summary>
public sealed class ClickHouseServerStore(string connectionString) : IClickHouse, IDisposable
{
    // The settings of both stores, as set_* connection string keys: the driver sends them with every query. A key
    // the connection string already has is left as it is.
    private readonly ClickHouseClient client = new(WithStoreSettings(connectionString));
    private readonly ConcurrentDictionary<string, IReadOnlyList<TableColumn>> schemas = new(StringComparer.Ordinal);

    // JSON rows read as the embedded engine reads them (its connection settings): ISO timestamps with offsets,
    // request messages as {role, content} objects. Only inserts of JSON rows go through this client.
    private readonly ClickHouseClient jsonRows = new(
        WithStoreSettings(connectionString) + ";set_date_time_input_format=best_effort;set_input_format_json_named_tuples_as_objects=1");

    public async Task ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        using var connection = client.CreateConnection();
        await Translate(() => connection.ExecuteAsync(new CommandDefinition(sql, Parameters(parameters), cancellationToken: cancellationToken))).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        using var connection = client.CreateConnection();
        var rows = await Translate(() => connection.QueryAsync(new CommandDefinition(sql, Parameters(parameters), cancellationToken: cancellationToken))).ConfigureAwait(false);
        return rows.Cast<IDictionary<string, object?>>()
            .Select(row => new JsonObject(row.Select(c => KeyValuePair.Create(c.Key, ToJson(c.Value)))).Deserialize<T>(FeedbackJson.Options)!)
            .ToList();
    }

    public async Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return;
        var columns = (await SchemaAsync(table, cancellationToken).ConfigureAwait(false))
            .Select(c => (Column: c, Property: typeof(T).GetProperty(c.PropertyName)))
            .Where(c => c.Property is not null)
            .ToList();
        var values = rows.Select(row => columns.Select(c => c.Column.ToDriverValue(c.Property!.GetValue(row))).ToArray());
        await Translate(() => client.InsertBinaryAsync(table, columns.Select(c => c.Column.Name), values, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task InsertJsonRowsAsync(string table, IReadOnlyCollection<ReadOnlyMemory<byte>> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return;
        var body = new byte[rows.Sum(r => r.Length + 1)];
        var at = 0;
        foreach (var row in rows)
        {
            row.Span.CopyTo(body.AsSpan(at));
            at += row.Length;
            body[at++] = (byte)'\n';
        }
        using var data = new MemoryStream(body, writable: false);
        // Uncompressed: the body is JSON already, and the store is near (compressing costs the loader's CPU).
        using var response = await Translate(() => jsonRows.InsertRawStreamAsync(table, data, "JSONEachRow", useCompression: false, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public void Dispose()
    {
        client.Dispose();
        jsonRows.Dispose();
    }

    private static string WithStoreSettings(string connectionString) => StoreSettings.All
        .Where(s => !connectionString.Contains("set_" + s.Key, StringComparison.OrdinalIgnoreCase))
        .Aggregate(connectionString.TrimEnd(';'), (settings, s) => $"{settings};set_{s.Key}={s.Value}");

    private async Task<IReadOnlyList<TableColumn>> SchemaAsync(string table, CancellationToken cancellationToken)
    {
        if (schemas.TryGetValue(table, out var known)) return known;
        var columns = await QueryAsync<TableColumn>(
            "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position",
            new { table }, cancellationToken).ConfigureAwait(false);
        if (columns.Count == 0) throw new ClickHouseException($"Code: 60. table {table} does not exist (UNKNOWN_TABLE)");
        return schemas[table] = columns;
    }

    private static DynamicParameters Parameters(object? parameters)
    {
        var result = new DynamicParameters();
        foreach (var p in QueryParameters.Named(parameters))
        {
            result.Add(p.Key, p.Value switch
            {
                DateTimeOffset d => d.UtcDateTime,
                var v => v,
            });
        }
        return result;
    }

    // Engine errors become the store's ClickHouseException, with ClickHouse's "Code: N." text, on every store.
    private static async Task<TResult> Translate<TResult>(Func<Task<TResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ClickHouseServerException e)
        {
            var text = e.Message.StartsWith("Code:", StringComparison.Ordinal) ? e.Message : $"Code: {e.ErrorCode}. {e.Message}";
            throw new ClickHouseException(text, e);
        }
    }

    /// <summary>A value as the driver returns it, in the JSON shape the embedded engine writes.</summary>
    private static JsonNode? ToJson(object? value) => value switch
    {
        null or DBNull => null,
        string s => JsonValue.Create(s),
        Guid g => JsonValue.Create(g.ToString()),
        DateTime d => JsonValue.Create(new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))),
        DateTimeOffset d => JsonValue.Create(d),
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create(Convert.ToString(k, CultureInfo.InvariantCulture)!, ToJson(map[k])))),
        ITuple tuple => new JsonArray(Enumerable.Range(0, tuple.Length).Select(i => ToJson(tuple[i])).ToArray()),
        IEnumerable items => new JsonArray(items.Cast<object?>().Select(ToJson).ToArray()),
        _ => JsonSerializer.SerializeToNode(value),
    };

    private sealed record TableColumn(string Name, string Type)
    {
        public string PropertyName { get; } = string.Concat(Name.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

        private string BaseType => Type.StartsWith("LowCardinality(", StringComparison.Ordinal) ? Type[15..^1] : Type;

        /// <summary>A property value in the .NET type the driver writes for this column; null becomes the column's default.</summary>
        public object? ToDriverValue(object? value)
        {
            var type = BaseType;
            if (type.StartsWith("Nullable(", StringComparison.Ordinal))
                return value is null ? null : Convert(value, type[9..^1]);
            return Convert(value ?? Default(type), type);
        }

        private static object Default(string type) => type switch
        {
            _ when type.StartsWith("Array(", StringComparison.Ordinal) => Array.Empty<object>(),
            _ when type.StartsWith("Map(", StringComparison.Ordinal) => new Dictionary<string, string>(),
            _ when type.StartsWith("DateTime", StringComparison.Ordinal) => DateTime.UnixEpoch,
            "UUID" => Guid.Empty,
            "String" => "",
            _ => 0,
        };

        private static object? Convert(object value, string type) => (type, value) switch
        {
            (_, DateTimeOffset d) => d.UtcDateTime,
            ("Array(Tuple(role String, content String))", IEnumerable<RequestMessage> messages) => messages.Select(m => Tuple.Create(m.Role, m.Content)).ToArray(),
            ("Array(UUID)", IEnumerable<Guid> ids) => ids.ToArray(),
            ("Array(String)", IEnumerable<string> strings) => strings.ToArray(),
            (_, IReadOnlyDictionary<string, string> map) => map.ToDictionary(),
            ("UInt8", _) => System.Convert.ToByte(value, CultureInfo.InvariantCulture),
            ("UInt32", _) => System.Convert.ToUInt32(value, CultureInfo.InvariantCulture),
            ("UInt64", _) => System.Convert.ToUInt64(value, CultureInfo.InvariantCulture),
            ("Int64", _) => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ("Float32", _) => System.Convert.ToSingle(value, CultureInfo.InvariantCulture),
            ("Float64", _) => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
            _ => value,
        };
    }
}
