using System.Reflection;
using System.Runtime.InteropServices;

namespace Feedback.Analytics.Store.ChDb;

/// <summary>
/// The C API of libchdb (chdb-core programs/local/chdb.h), bound by function pointer. The library is loaded
/// from the per-machine cache that build/chdb.targets fills; FEEDBACK_LIBCHDB overrides the path.
/// </summary>
internal static unsafe class LibChDb
{
    private static readonly Lazy<IntPtr> Handle = new(Load);

    public static string Path =>
        Environment.GetEnvironmentVariable("FEEDBACK_LIBCHDB") is { Length: > 0 } overridden
            ? overridden
            : typeof(LibChDb).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                  .FirstOrDefault(a => a.Key == "LibChDbPath")?.Value
              ?? throw new InvalidOperationException("LibChDbPath was not set at build time");

    private static IntPtr Load()
    {
        var path = Path;
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"libchdb.so not found at {path}. Build the project once (it downloads libchdb), or set FEEDBACK_LIBCHDB.", path);
        var handle = NativeLibrary.Load(path);
        // chDB's own SIGSEGV/SIGTERM handlers fight the .NET runtime's: without this the process crashes at exit.
        ((delegate* unmanaged<int, void>)Export(handle, "chdb_set_signal_handlers_enabled"))(0);
        return handle;
    }

    private static IntPtr Export(IntPtr handle, string name) => NativeLibrary.GetExport(handle, name);

    private static IntPtr Fn(string name) => Export(Handle.Value, name);

    public static IntPtr* Connect(int argc, IntPtr* argv) =>
        ((delegate* unmanaged<int, IntPtr*, IntPtr*>)Fn("chdb_connect"))(argc, argv);

    public static void CloseConnection(IntPtr* connection) =>
        ((delegate* unmanaged<IntPtr*, void>)Fn("chdb_close_conn"))(connection);

    public static IntPtr QueryWithParams(
        IntPtr connection, byte* query, nuint queryLength, byte* format, nuint formatLength,
        byte** names, nuint* nameLengths, byte** values, nuint* valueLengths, nuint count) =>
        ((delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, byte**, nuint*, byte**, nuint*, nuint, IntPtr>)
            Fn("chdb_query_with_params_n"))(connection, query, queryLength, format, formatLength, names, nameLengths, values, valueLengths, count);

    // The write side of a streaming INSERT: the statement (without FORMAT or data), then the data in chunks.
    public static IntPtr StreamInsert(
        IntPtr connection, byte* query, nuint queryLength, byte* format, nuint formatLength,
        byte** names, nuint* nameLengths, byte** values, nuint* valueLengths, nuint count) =>
        ((delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, byte**, nuint*, byte**, nuint*, nuint, IntPtr>)
            Fn("chdb_stream_insert_with_params_n"))(connection, query, queryLength, format, formatLength, names, nameLengths, values, valueLengths, count);

    public static byte* StreamInsertError(IntPtr stream) => ((delegate* unmanaged<IntPtr, byte*>)Fn("chdb_stream_insert_error"))(stream);

    public static int StreamAppend(IntPtr stream, byte* data, nuint length) =>
        ((delegate* unmanaged<IntPtr, byte*, nuint, int>)Fn("chdb_stream_append"))(stream, data, length);

    /// <summary>Commits the insert; the result (counters or an error) is freed with <see cref="DestroyResult"/>.</summary>
    public static IntPtr StreamDone(IntPtr stream) => ((delegate* unmanaged<IntPtr, IntPtr>)Fn("chdb_stream_done"))(stream);

    public static void DestroyInsertStream(IntPtr stream) => ((delegate* unmanaged<IntPtr, void>)Fn("chdb_destroy_insert_stream"))(stream);

    /// <summary>chdb_query_analysis_v1: what chdb_classify_query_n reports.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct QueryAnalysis
    {
        public uint StructSize;
        public uint StatementCount;
        public uint Flags;
        public uint QueryClass; // 0 = read only
    }

    public static int ClassifyQuery(IntPtr connection, byte* sql, nuint sqlLength, QueryAnalysis* analysis) =>
        ((delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, QueryAnalysis*, int>)Fn("chdb_classify_query_n"))(
            connection, sql, sqlLength, null, 0, analysis);

    public static byte* ResultBuffer(IntPtr result) => ((delegate* unmanaged<IntPtr, byte*>)Fn("chdb_result_buffer"))(result);

    public static nuint ResultLength(IntPtr result) => ((delegate* unmanaged<IntPtr, nuint>)Fn("chdb_result_length"))(result);

    public static byte* ResultError(IntPtr result) => ((delegate* unmanaged<IntPtr, byte*>)Fn("chdb_result_error"))(result);

    public static double ResultElapsed(IntPtr result) => ((delegate* unmanaged<IntPtr, double>)Fn("chdb_result_elapsed"))(result);

    public static ulong ResultRowsRead(IntPtr result) => Counter("chdb_result_rows_read", result);

    public static ulong ResultBytesRead(IntPtr result) => Counter("chdb_result_bytes_read", result);

    public static ulong ResultStorageRowsRead(IntPtr result) => Counter("chdb_result_storage_rows_read", result);

    public static ulong ResultStorageBytesRead(IntPtr result) => Counter("chdb_result_storage_bytes_read", result);

    public static ulong ResultRowsWritten(IntPtr result) => Counter("chdb_result_rows_written", result);

    public static ulong ResultBytesWritten(IntPtr result) => Counter("chdb_result_bytes_written", result);

    private static ulong Counter(string name, IntPtr result) => ((delegate* unmanaged<IntPtr, ulong>)Fn(name))(result);

    public static void DestroyResult(IntPtr result) => ((delegate* unmanaged<IntPtr, void>)Fn("chdb_destroy_query_result"))(result);
}
