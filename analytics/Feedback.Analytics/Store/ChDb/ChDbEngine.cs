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

    private readonly SemaphoreSlim gate = new(1, 1); // a chDB connection runs one statement at a time
    private readonly FileStream directoryLock;
    private IntPtr connection; // chdb_connection* as returned by chdb_connect

    private ChDbEngine(string dataDirectory, FileStream directoryLock, IntPtr connection)
    {
        DataDirectory = dataDirectory;
        this.directoryLock = directoryLock;
        this.connection = connection;
    }

    public string DataDirectory { get; }

    /// <summary>Opens the process's engine on <paramref name="dataDirectory"/>, or returns it if already open there.</summary>
    public static unsafe ChDbEngine Open(string dataDirectory)
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

            Directory.CreateDirectory(dataDirectory);
            var directoryLock = LockDirectory(dataDirectory);
            var args = new[] { "clickhouse", $"--path={System.IO.Path.Combine(dataDirectory, "clickhouse")}" }.Concat(ConnectionSettings).ToArray();
            var argv = args.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
            try
            {
                IntPtr* conn;
                fixed (IntPtr* p = argv) conn = LibChDb.Connect(argv.Length, p);
                if (conn == null || *conn == IntPtr.Zero)
                {
                    directoryLock.Dispose();
                    throw new ClickHouseException($"chDB could not open {dataDirectory}");
                }
                return current = new ChDbEngine(dataDirectory, directoryLock, (IntPtr)conn);
            }
            finally
            {
                foreach (var a in argv) Marshal.FreeCoTaskMem(a);
            }
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
        RunAsync(sql, QueryParameters.From(parameters), "TabSeparated", cancellationToken);

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var output = await RunAsync(sql, QueryParameters.From(parameters), "JSONEachRow", cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            rows.Add(JsonSerializer.Deserialize<T>(line, FeedbackJson.Options)!);
        return rows;
    }

    public Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return Task.CompletedTask;
        var sql = new StringBuilder($"INSERT INTO {table} FORMAT JSONEachRow\n");
        foreach (var row in rows)
            sql.Append(JsonSerializer.Serialize(row, FeedbackJson.Options)).Append('\n');
        return RunAsync(sql.ToString(), [], "TabSeparated", cancellationToken);
    }

    /// <summary>Runs SQL and returns the raw output in <paramref name="format"/> (used by the query paths above).</summary>
    public async Task<string> RunAsync(string sql, IReadOnlyList<KeyValuePair<string, string>> parameters, string format, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(connection == IntPtr.Zero, this);
            return await Task.Run(() => Run(sql, parameters, format), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private unsafe string Run(string sql, IReadOnlyList<KeyValuePair<string, string>> parameters, string format)
    {
        var query = Encoding.UTF8.GetBytes(sql);
        var fmt = Encoding.UTF8.GetBytes(format);
        var n = parameters.Count;
        var names = parameters.Select(p => Encoding.UTF8.GetBytes(p.Key)).ToArray();
        var values = parameters.Select(p => Encoding.UTF8.GetBytes(p.Value)).ToArray();
        var handles = names.Concat(values).Select(b => GCHandle.Alloc(b, GCHandleType.Pinned)).ToArray();
        try
        {
            var namePtrs = stackalloc byte*[Math.Max(n, 1)];
            var valuePtrs = stackalloc byte*[Math.Max(n, 1)];
            var nameLengths = stackalloc nuint[Math.Max(n, 1)];
            var valueLengths = stackalloc nuint[Math.Max(n, 1)];
            for (var i = 0; i < n; i++)
            {
                namePtrs[i] = (byte*)handles[i].AddrOfPinnedObject();
                nameLengths[i] = (nuint)names[i].Length;
                valuePtrs[i] = (byte*)handles[n + i].AddrOfPinnedObject();
                valueLengths[i] = (nuint)values[i].Length;
            }

            IntPtr result;
            fixed (byte* q = query)
            fixed (byte* f = fmt)
                result = LibChDb.QueryWithParams(*(IntPtr*)connection, q, (nuint)query.Length, f, (nuint)fmt.Length,
                    namePtrs, nameLengths, valuePtrs, valueLengths, (nuint)n);
            try
            {
                var error = LibChDb.ResultError(result);
                if (error != null)
                    throw new ClickHouseException(Marshal.PtrToStringUTF8((IntPtr)error) ?? "unknown chDB error");
                var length = (int)LibChDb.ResultLength(result);
                return length == 0 ? "" : Encoding.UTF8.GetString(LibChDb.ResultBuffer(result), length);
            }
            finally
            {
                LibChDb.DestroyResult(result);
            }
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    public unsafe void Dispose()
    {
        lock (OpenLock)
        {
            gate.Wait();
            try
            {
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

/// <summary>Another process (a running <c>feedback serve</c>) holds the data directory.</summary>
public sealed class DataDirectoryInUseException(string dataDirectory)
    : Exception($"the data directory {dataDirectory} is in use by another Feedback process")
{
    public string DataDirectory { get; } = dataDirectory;
}
