using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Feedback.Events;

namespace Feedback.Analytics.Store.ChDb;

/// <summary>
/// The embedded store: ClickHouse running inside this process (chDB), persisting under a data directory.
/// chDB allows one storage path per process, so there is one engine per process: <see cref="Open"/>.
/// A lock file keeps a second process away from the same directory.
/// </summary>
public sealed class ChDbEngine : IClickHouse, IDisposable
{
    private static readonly object OpenLock = new();
    private static ChDbEngine? current;

    // Engine settings that only concern how rows cross the C API as JSON; the SQL itself stays portable.
    private static readonly string[] ConnectionSettings =
    [
        "--date_time_input_format=best_effort",
        "--date_time_output_format=iso",
        "--output_format_json_quote_64bit_integers=0",
        "--output_format_json_named_tuples_as_objects=1",
        "--input_format_json_named_tuples_as_objects=1",
    ];

    // One statement at a time, on any connection; inserts (ingest's batches, the loader's) go before waiting reads.
    private readonly PriorityGate gate = new();
    private readonly FileStream directoryLock;
    private IntPtr connection; // chdb_connection* as returned by chdb_connect
    private long rowsRead; // storage counters of this instance's statements (RowsRead, BytesRead)
    private long bytesRead;

    // A second connection with ClickHouse's default settings, for clients that speak ClickHouse's own protocol
    // (QueryRawAsync): the settings above would change their output, and their USE/SET must not reach ours.
    private IntPtr plainConnection;

    // The same for reading statements, opened with readonly=2: the engine itself refuses any write there.
    private IntPtr readOnlyConnection;

    private ChDbEngine(string dataDirectory, FileStream directoryLock, IntPtr connection)
    {
        DataDirectory = dataDirectory;
        this.directoryLock = directoryLock;
        this.connection = connection;
    }

    public string DataDirectory { get; }

    /// <summary>Opens the process's engine on <paramref name="dataDirectory"/>, or returns it if already open there.</summary>
    public static ChDbEngine Open(string dataDirectory)
    {
        dataDirectory = System.IO.Path.GetFullPath(dataDirectory);
        lock (OpenLock)
        {
            if (current is not null)
            {
                return current.DataDirectory == dataDirectory
                    ? current
                    : throw new InvalidOperationException(
                        $"the embedded engine is already open on {current.DataDirectory}; chDB allows one data directory per process");
            }

            PrivateFiles.Apply(dataDirectory);
            var directoryLock = LockDirectory(dataDirectory);
            try
            {
                return current = new ChDbEngine(dataDirectory, directoryLock, Connect(dataDirectory, ConnectionSettings));
            }
            catch
            {
                directoryLock.Dispose();
                throw;
            }
        }
    }

    private static unsafe IntPtr Connect(string dataDirectory, IEnumerable<string> settings)
    {
        var args = new[] { "clickhouse", $"--path={System.IO.Path.Combine(dataDirectory, "clickhouse")}" }
            .Concat(StoreSettings.All.Select(s => $"--{s.Key}={s.Value}")).Concat(settings).ToArray();
        var argv = args.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        try
        {
            IntPtr* conn;
            fixed (IntPtr* p = argv) conn = LibChDb.Connect(argv.Length, p);
            if (conn == null || *conn == IntPtr.Zero)
                throw new ClickHouseException($"chDB could not open {dataDirectory}");
            return (IntPtr)conn;
        }
        finally
        {
            foreach (var a in argv) Marshal.FreeCoTaskMem(a);
        }
    }

    /// <summary>Whether another process (a running <c>feedback serve</c>) holds the data directory.</summary>
    public static bool IsInUse(string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory)) return false;
        try
        {
            LockDirectory(dataDirectory).Dispose();
            return false;
        }
        catch (DataDirectoryInUseException)
        {
            return true;
        }
    }

    private static FileStream LockDirectory(string dataDirectory)
    {
        var path = System.IO.Path.Combine(dataDirectory, ".lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new DataDirectoryInUseException(dataDirectory);
        }
    }

    public Task ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        RunAsync(Encoding.UTF8.GetBytes(sql), QueryParameters.From(parameters), "TabSeparated", cancellationToken);

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var output = await RunAsync(Encoding.UTF8.GetBytes(sql), QueryParameters.From(parameters), "JSONEachRow", cancellationToken).ConfigureAwait(false);
        // Straight from the engine's UTF-8: mining reads millions of rows this way, and a string per line would double the work.
        var rows = new List<T>();
        for (var rest = output.AsMemory(); !rest.IsEmpty;)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (!line.IsEmpty) rows.Add(JsonSerializer.Deserialize<T>(line.Span, FeedbackJson.Options)!);
        }
        return rows;
    }

    public Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return Task.CompletedTask;
        var statement = new ArrayBufferWriter<byte>();
        statement.Write(Encoding.UTF8.GetBytes($"INSERT INTO {table} FORMAT JSONEachRow\n"));
        using var json = new Utf8JsonWriter(statement, new JsonWriterOptions { SkipValidation = true }); // one object per line
        foreach (var row in rows)
        {
            JsonSerializer.Serialize(json, row, FeedbackJson.Options);
            json.Flush();
            statement.Write("\n"u8);
            json.Reset();
        }
        return RunAsync(statement.WrittenMemory, [], "TabSeparated", cancellationToken, priority: true);
    }

    public Task InsertJsonRowsAsync(string table, IReadOnlyCollection<ReadOnlyMemory<byte>> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return Task.CompletedTask;
        var head = Encoding.UTF8.GetBytes($"INSERT INTO {table} FORMAT JSONEachRow\n");
        var statement = new byte[head.Length + rows.Sum(r => r.Length + 1)];
        head.CopyTo(statement, 0);
        var at = head.Length;
        foreach (var row in rows)
        {
            row.Span.CopyTo(statement.AsSpan(at));
            at += row.Length;
            statement[at++] = (byte)'\n';
        }
        return RunAsync(statement, [], "TabSeparated", cancellationToken, priority: true);
    }

    private Task<byte[]> RunAsync(
        ReadOnlyMemory<byte> sql, IReadOnlyList<KeyValuePair<string, string>> parameters, string format, CancellationToken cancellationToken, bool priority = false) =>
        LockedAsync(() =>
        {
            var (output, statistics) = Execute(connection, sql.Span, format, parameters);
            Interlocked.Add(ref rowsRead, (long)statistics.ReadRows);
            Interlocked.Add(ref bytesRead, (long)statistics.ReadBytes);
            return output;
        }, cancellationToken, priority);

    /// <summary>
    /// Rows the engine has read from storage for <see cref="ExecuteAsync"/>, <see cref="QueryAsync{T}"/> and
    /// <see cref="InsertAsync{T}"/> so far (chDB's per-statement counter, summed): what a stage costs, whatever the
    /// machine's load (the mining benchmark and the incremental mining test read it).
    /// </summary>
    public long RowsRead => Interlocked.Read(ref rowsRead);

    /// <summary>Bytes the engine has read from storage for the same statements (uncompressed).</summary>
    public long BytesRead => Interlocked.Read(ref bytesRead);

    /// <summary>Statements waiting for the engine (the one running is not counted).</summary>
    public int StatementsWaiting => gate.Waiting;

    /// <summary>Whether a statement is running.</summary>
    public bool IsRunningStatement => gate.Held;

    /// <summary>
    /// Runs one statement as a ClickHouse server would for a client of its own protocol: with ClickHouse's
    /// default settings (on a connection of its own), in <see cref="RawQuery.Database"/>, with
    /// <see cref="RawQuery.Settings"/> for this statement only, returning the output bytes and counters.
    /// </summary>
    public Task<RawResult> QueryRawAsync(RawQuery query, CancellationToken cancellationToken = default) =>
        LockedAsync(() => RunRaw(query), cancellationToken);

    private RawResult RunRaw(RawQuery query)
    {
        // Reading statements run on a connection opened with readonly=2, so the engine itself refuses writes there
        // whatever the statement says; writes (when the endpoint allows them) on another.
        var conn = query.ReadOnly ? readOnlyConnection : plainConnection;
        if (conn == IntPtr.Zero)
        {
            conn = Connect(DataDirectory, query.ReadOnly ? ["--readonly=2"] : []);
            if (query.ReadOnly) readOnlyConnection = conn;
            else plainConnection = conn;
        }
        Guard(conn, query);
        // The connection keeps its current database and settings between statements; set both for this one,
        // and put the settings back afterwards (USE comes first each time, so a database never carries over).
        if (query.ReadOnly && !IsReadOnly(conn, query.Sql.Span))
            throw new ClickHouseException("Code: 164. DB::Exception: Cannot execute query in readonly mode: only reading statements are allowed here. (READONLY)");
        Execute(conn, "USE " + QuoteIdentifier(query.Database ?? "default"));
        var settings = query.Settings.Concat(Limits(query)).ToList();
        if (settings.Count == 0) return Run();
        Execute(conn, "SET " + string.Join(", ", settings.Select(s => $"{SettingName(s.Key)} = {QuoteString(s.Value)}")));
        try
        {
            return Run();
        }
        finally
        {
            // Back to the connection's own values: the engine settings above, else ClickHouse's defaults.
            Execute(conn, "SET " + string.Join(", ", settings.Select(s =>
                $"{s.Key} = {(StoreSettings.All.TryGetValue(s.Key, out var own) ? QuoteString(own) : "DEFAULT")}")));
        }

        RawResult Run()
        {
            var (output, statistics) = query.InsertData is { } data
                ? ExecuteInsert(conn, query.Sql.Span, data.Span, query.Parameters)
                : Execute(conn, query.Sql.Span, query.Format, query.Parameters);
            return new RawResult(output, statistics);
        }
    }

    // Settings that hold the endpoint's limits and mode: a client may not change them (URL parameters here;
    // SET and SETTINGS in statements are refused by StatementGuard).
    private static readonly HashSet<string> ProtectedSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "readonly", "allow_ddl", "max_execution_time", "timeout_overflow_mode", "max_result_bytes", "max_result_rows", "result_overflow_mode",
        "input_format_values_interpret_expressions", "input_format_values_deduce_templates_of_expressions",
    };

    private static IEnumerable<KeyValuePair<string, string>> Limits(RawQuery query)
    {
        // The Values input format evaluates expressions in INSERT data (VALUES (file('/etc/passwd'))), which no
        // parse of the statement sees: data stays literals here.
        yield return KeyValuePair.Create("input_format_values_interpret_expressions", "0");
        yield return KeyValuePair.Create("input_format_values_deduce_templates_of_expressions", "0");
        if (query.MaxExecutionTime is { } time)
        {
            yield return KeyValuePair.Create("max_execution_time", Math.Max(1, (int)Math.Ceiling(time.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield return KeyValuePair.Create("timeout_overflow_mode", "throw");
        }
        if (query.MaxResultBytes is { } bytes)
        {
            yield return KeyValuePair.Create("max_result_bytes", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield return KeyValuePair.Create("result_overflow_mode", "throw");
        }
    }

    /// <summary>One statement, parsed by the engine and passed by <see cref="StatementGuard"/>; settings that are not the client's.</summary>
    private void Guard(IntPtr conn, RawQuery query)
    {
        foreach (var setting in query.Settings.Where(s => ProtectedSettings.Contains(s.Key)))
            throw new ClickHouseException($"Code: 164. DB::Exception: Cannot modify '{setting.Key}' setting here: it holds the endpoint's limits. (READONLY)");
        if (StatementCount(conn, query.Sql.Span) > 1)
            throw new ClickHouseException("Code: 62. DB::Exception: Syntax error (Multi-statements are not allowed). (SYNTAX_ERROR)");
        denied ??= StatementGuard.Denied(
            Lines(Execute(conn, "SELECT name FROM system.table_functions").Output),
            Lines(Execute(conn, "SELECT name FROM system.table_engines UNION ALL SELECT name FROM system.database_engines").Output));
        // The engine's own parser reads the statement.
        var explain = new byte[12 + query.Sql.Length];
        "EXPLAIN AST "u8.CopyTo(explain);
        query.Sql.Span.CopyTo(explain.AsSpan(12));
        string ast;
        try
        {
            ast = Encoding.UTF8.GetString(Execute(conn, explain, "TSVRaw", query.Parameters).Output);
        }
        catch (ClickHouseException) when (StatementGuard.SplitPlainInsert(query.Sql.Span) is not null)
        {
            // EXPLAIN parses to the end, so binary INSERT data (RowBinary) fails it; a plain
            // "INSERT INTO table [(columns)] FORMAT name" names no function, so there is nothing to look for.
            return;
        }
        if (StatementGuard.Refusal(ast, denied) is { } reason)
            throw new ClickHouseException($"Code: 497. DB::Exception: {reason}. (ACCESS_DENIED)");

        static IEnumerable<string> Lines(byte[] output) => Encoding.UTF8.GetString(output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private IReadOnlySet<string>? denied;

    private static unsafe uint StatementCount(IntPtr conn, ReadOnlySpan<byte> sql)
    {
        var analysis = new LibChDb.QueryAnalysis { StructSize = (uint)sizeof(LibChDb.QueryAnalysis) };
        fixed (byte* q = sql)
        {
            if (LibChDb.ClassifyQuery(*(IntPtr*)conn, q, (nuint)sql.Length, &analysis) != 0) return 0;
        }
        return analysis.StatementCount;
    }

    // Asks the engine's own parser. Text that does not parse (no statements) goes on, so the engine reports its syntax error.
    private static unsafe bool IsReadOnly(IntPtr conn, ReadOnlySpan<byte> sql)
    {
        var analysis = new LibChDb.QueryAnalysis { StructSize = (uint)sizeof(LibChDb.QueryAnalysis) };
        fixed (byte* q = sql)
        {
            if (LibChDb.ClassifyQuery(*(IntPtr*)conn, q, (nuint)sql.Length, &analysis) != 0) return false;
        }
        return analysis.QueryClass == 0 || analysis.StatementCount == 0;
    }

    private static string SettingName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
            ? name
            : throw new ClickHouseException($"Code: 115. DB::Exception: Unknown setting '{name}'. (UNKNOWN_SETTING)");

    private static string QuoteIdentifier(string name) =>
        "`" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`";

    private static string QuoteString(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private async Task<T> LockedAsync<T>(Func<T> work, CancellationToken cancellationToken, bool priority = false)
    {
        await gate.WaitAsync(priority, cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(connection == IntPtr.Zero, this);
            return await Task.Run(work, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static (byte[] Output, QueryStatistics Statistics) Execute(IntPtr conn, string sql) =>
        Execute(conn, Encoding.UTF8.GetBytes(sql), "TabSeparated", []);

    // The one path to the engine for statements: chdb_query_with_params_n (binary-safe, so the query may be
    // followed by raw INSERT data).
    private static unsafe (byte[] Output, QueryStatistics Statistics) Execute(
        IntPtr conn, ReadOnlySpan<byte> query, string format, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        using var bound = new NativeParameters(parameters);
        var fmt = Encoding.UTF8.GetBytes(format);
        IntPtr result;
        fixed (byte* q = query)
        fixed (byte* f = fmt)
            result = LibChDb.QueryWithParams(*(IntPtr*)conn, q, (nuint)query.Length, f, (nuint)fmt.Length,
                bound.Names, bound.NameLengths, bound.Values, bound.ValueLengths, bound.Count);
        return Read(result);
    }

    // An INSERT whose data comes apart from its text ("INSERT INTO t FORMAT RowBinary" and a body), streamed as
    // ClickHouse's HTTP interface streams a request body. Inline after the text, chDB misreads some binary data
    // (code 33, "Cannot read all data"; docs/reliability.md).
    private static unsafe (byte[] Output, QueryStatistics Statistics) ExecuteInsert(
        IntPtr conn, ReadOnlySpan<byte> sql, ReadOnlySpan<byte> data, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (StatementGuard.SplitPlainInsert(sql) is not { } insert)
            throw new ClickHouseException("Code: 62. DB::Exception: Syntax error: data apart from its statement goes with INSERT INTO table [(columns)] FORMAT name only. (SYNTAX_ERROR)");
        using var bound = new NativeParameters(parameters);
        var statement = Encoding.UTF8.GetBytes(insert.Statement);
        var fmt = Encoding.UTF8.GetBytes(insert.Format);
        IntPtr stream;
        fixed (byte* q = statement)
        fixed (byte* f = fmt)
            stream = LibChDb.StreamInsert(*(IntPtr*)conn, q, (nuint)statement.Length, f, (nuint)fmt.Length,
                bound.Names, bound.NameLengths, bound.Values, bound.ValueLengths, bound.Count);
        try
        {
            var error = LibChDb.StreamInsertError(stream);
            if (error == null && !data.IsEmpty)
            {
                fixed (byte* d = data)
                    LibChDb.StreamAppend(stream, d, (nuint)data.Length); // a failure shows in the error read next
                error = LibChDb.StreamInsertError(stream);
            }
            if (error != null) throw new ClickHouseException(Marshal.PtrToStringUTF8((IntPtr)error) ?? "unknown chDB error");
            return Read(LibChDb.StreamDone(stream));
        }
        finally
        {
            LibChDb.DestroyInsertStream(stream); // cancels first when the insert was not committed
        }
    }

    /// <summary>A statement's output and counters, or its error; frees the result.</summary>
    private static unsafe (byte[] Output, QueryStatistics Statistics) Read(IntPtr result)
    {
        try
        {
            var error = LibChDb.ResultError(result);
            if (error != null)
                throw new ClickHouseException(Marshal.PtrToStringUTF8((IntPtr)error) ?? "unknown chDB error");
            var length = ResultLength(LibChDb.ResultLength(result));
            var output = length == 0 ? [] : new ReadOnlySpan<byte>(LibChDb.ResultBuffer(result), length).ToArray();
            var statistics = new QueryStatistics(
                LibChDb.ResultStorageRowsRead(result), LibChDb.ResultStorageBytesRead(result),
                LibChDb.ResultRowsWritten(result), LibChDb.ResultBytesWritten(result),
                LibChDb.ResultRowsRead(result), LibChDb.ResultBytesRead(result),
                TimeSpan.FromSeconds(LibChDb.ResultElapsed(result)));
            return (output, statistics);
        }
        finally
        {
            LibChDb.DestroyResult(result);
        }
    }

    /// <summary>
    /// A result's length as an array length. A .NET array holds at most <see cref="Array.MaxLength"/> bytes
    /// (just under 2 GiB): a larger result is an error, never a length cast to int that wraps.
    /// </summary>
    public static int ResultLength(nuint length) =>
        length <= (nuint)Array.MaxLength
            ? (int)length
            : throw new ClickHouseException($"Code: 396. DB::Exception: The result is {length} bytes, over the {Array.MaxLength} bytes one result may have here; select less (a LIMIT, fewer columns, a narrower range). (TOO_MANY_ROWS_OR_BYTES)");

    public unsafe void Dispose()
    {
        lock (OpenLock)
        {
            gate.Wait();
            try
            {
                if (readOnlyConnection != IntPtr.Zero)
                {
                    LibChDb.CloseConnection((IntPtr*)readOnlyConnection);
                    readOnlyConnection = IntPtr.Zero;
                }
                if (plainConnection != IntPtr.Zero)
                {
                    LibChDb.CloseConnection((IntPtr*)plainConnection);
                    plainConnection = IntPtr.Zero;
                }
                if (connection != IntPtr.Zero)
                {
                    LibChDb.CloseConnection((IntPtr*)connection);
                    connection = IntPtr.Zero;
                }
                directoryLock.Dispose();
                if (current == this) current = null;
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
