using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Feedback.Analytics.Store;
using Feedback.Analytics.Store.ChDb;
using Microsoft.Extensions.Primitives;

namespace Feedback.Server.ClickHouseHttp;

/// <summary>
/// One request of ClickHouse's HTTP interface: authenticate, gather query, format, database, parameters and
/// settings from the URL, headers and body, run the statement on the engine and answer as ClickHouse does.
/// </summary>
internal sealed partial class ClickHouseHttpHandler(ChDbEngine engine, ClickHouseHttpOptions options, ServerInfo server)
{
    // URL parameters that ClickHouse handles in its HTTP layer rather than as settings of the query.
    private static readonly HashSet<string> HttpOnlyParameters = new(StringComparer.Ordinal)
    {
        "query", "database", "default_format", "user", "password", "quota_key", "query_id", "session_id", "session_timeout",
        "session_check", "close_session", "stacktrace", "role", "buffer_size", "wait_end_of_query", "client_protocol_version",
        "compress", "decompress", "enable_http_compression", "http_zlib_compression_level", "send_progress_in_http_headers",
        "http_headers_progress_interval_ms", "http_wait_end_of_query", "http_response_buffer_size", "add_http_cors_header",
        "cancel_http_readonly_queries_on_client_close",
    };

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var url = request.Query;
        // GET / without a query is ClickHouse's health check.
        if (HttpMethods.IsGet(request.Method) && !url.ContainsKey("query"))
        {
            await WriteTextAsync(context.Response, 200, "Ok.\n");
            return;
        }

        var queryId = url["query_id"] is { Count: > 0 } id && id[0] is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
        context.Response.Headers["X-ClickHouse-Query-Id"] = queryId;
        context.Response.Headers["X-ClickHouse-Server-Display-Name"] = server.DisplayName;
        try
        {
            Authenticate(request);
            if (IsOn(url["compress"]) || IsOn(url["decompress"]))
            {
                throw ClickHouseErrors.Create(ClickHouseErrors.NotImplemented, "NOT_IMPLEMENTED",
                    "ClickHouse's native block compression (compress, decompress) is not supported here; use HTTP compression");
            }

            var sql = await ReadQueryAsync(request, url["query"].ToString(), context.RequestAborted);
            var format = First(request.Headers["X-ClickHouse-Format"]) ?? First(url["default_format"]) ?? "TabSeparated";
            // A driver's insert (statement, line break, data) goes to the engine as a statement and a stream of data.
            var insert = StatementGuard.SplitPlainInsert(sql.Span);
            var result = await engine.QueryRawAsync(new RawQuery
            {
                Sql = insert is null ? sql : sql[..insert.DataOffset],
                InsertData = insert is null ? (ReadOnlyMemory<byte>?)null : sql[insert.DataOffset..],
                Format = format,
                Database = First(request.Headers["X-ClickHouse-Database"]) ?? First(url["database"]),
                Parameters = url.Where(p => p.Key.StartsWith("param_", StringComparison.Ordinal))
                    .Select(p => KeyValuePair.Create(p.Key["param_".Length..], p.Value.ToString())).ToList(),
                Settings = url.Where(p => !HttpOnlyParameters.Contains(p.Key) && !p.Key.StartsWith("param_", StringComparison.Ordinal))
                    .Select(p => KeyValuePair.Create(p.Key, p.Value.ToString())).ToList(),
                // As in ClickHouse, GET implies readonly: it must never change data. POST writes only when allowed.
                ReadOnly = HttpMethods.IsGet(request.Method) || !options.AllowWrites,
                MaxExecutionTime = options.MaxExecutionTime,
                MaxResultBytes = options.MaxResultBytes,
            }, context.RequestAborted);

            format = FormatClause(sql.Span) ?? format;
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = ContentType(format);
            response.Headers["X-ClickHouse-Format"] = format;
            response.Headers["X-ClickHouse-Timezone"] = server.Timezone;
            response.Headers["X-ClickHouse-Summary"] = Summary(result.Statistics);
            var coding = IsOn(url["enable_http_compression"]) ? HttpCompression.Choose(request.Headers.AcceptEncoding) : null;
            if (coding is null)
            {
                response.ContentLength = result.Output.Length;
                await response.Body.WriteAsync(result.Output, context.RequestAborted);
                return;
            }
            response.Headers.ContentEncoding = coding;
            await using var encoded = HttpCompression.Encode(response.Body, coding);
            await encoded.WriteAsync(result.Output, context.RequestAborted);
        }
        catch (ClickHouseException error)
        {
            await WriteErrorAsync(context.Response, error);
        }
        catch (InvalidDataException bad)
        {
            // A body that does not decode under its Content-Encoding.
            await WriteErrorAsync(context.Response, ClickHouseErrors.Create(
                ClickHouseErrors.UnknownCompressionMethod, "UNKNOWN_COMPRESSION_METHOD", "Cannot decompress the request body: " + bad.Message));
        }
    }

    /// <summary>
    /// The statement: the <c>query</c> URL parameter, a newline, then the body (where INSERT data follows the
    /// query text), exactly as ClickHouse joins them.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> ReadQueryAsync(HttpRequest request, string queryParameter, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        if (queryParameter.Length > 0)
        {
            buffer.Write(Encoding.UTF8.GetBytes(queryParameter));
            buffer.WriteByte((byte)'\n');
        }
        var body = HttpCompression.Decode(request.Body, request.Headers.ContentEncoding);
        await body.CopyToAsync(buffer, cancellationToken);
        if (body != request.Body) await body.DisposeAsync(); // the decoder only; the server owns the request stream
        var sql = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (sql.Span.Trim(" \t\r\n"u8).IsEmpty)
            throw ClickHouseErrors.Create(ClickHouseErrors.SyntaxError, "SYNTAX_ERROR", "Empty query");
        return sql;
    }

    /// <summary>ClickHouse's credential sources, one at a time: X-ClickHouse-User/Key, HTTP Basic, or user/password in the URL.</summary>
    private void Authenticate(HttpRequest request)
    {
        var url = request.Query;
        var headerUser = request.Headers["X-ClickHouse-User"].ToString();
        var headerKey = request.Headers["X-ClickHouse-Key"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        var inUrl = url.ContainsKey("user") || url.ContainsKey("password");
        string user, password;
        if (headerUser.Length > 0 || headerKey.Length > 0)
        {
            if (authorization.Length > 0) throw MixedAuthentication("X-ClickHouse HTTP headers", "Authorization HTTP header");
            if (inUrl) throw MixedAuthentication("X-ClickHouse HTTP headers", "authentication via parameters");
            (user, password) = (headerUser, headerKey);
        }
        else if (authorization.Length > 0)
        {
            if (inUrl) throw MixedAuthentication("Authorization HTTP header", "authentication via parameters");
            (user, password) = Basic(authorization);
        }
        else
        {
            (user, password) = (First(url["user"]) ?? "default", url["password"].ToString());
        }

        if (user.Length == 0) throw AuthenticationFailed("Got an empty user name");
        var expected = Encoding.UTF8.GetBytes(options.User + "\n" + options.Password);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user + "\n" + password), expected))
            throw AuthenticationFailed($"{user}: Authentication failed: password is incorrect, or there is no user with such name");
    }

    private static (string User, string Password) Basic(string authorization)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? authorization : authorization[..space];
        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            throw AuthenticationFailed($"Invalid authentication: '{scheme}' HTTP Authorization scheme is not supported");
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[(space + 1)..].Trim()));
        }
        catch (FormatException)
        {
            throw AuthenticationFailed("Invalid authentication: malformed Basic credentials");
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (decoded, "") : (decoded[..colon], decoded[(colon + 1)..]);
    }

    private static ClickHouseException MixedAuthentication(string first, string second) =>
        AuthenticationFailed($"Invalid authentication: it is not allowed to use {first} and {second} simultaneously");

    private static ClickHouseException AuthenticationFailed(string message) =>
        ClickHouseErrors.Create(ClickHouseErrors.AuthenticationFailed, "AUTHENTICATION_FAILED", message);

    private async Task WriteErrorAsync(HttpResponse response, ClickHouseException error)
    {
        var code = error.Code == 0 ? 1000 : error.Code; // 1000 is ClickHouse's STD_EXCEPTION
        response.Headers["X-ClickHouse-Exception-Code"] = code.ToString(CultureInfo.InvariantCulture);
        var text = error.Message.Contains("(version ", StringComparison.Ordinal) ? error.Message : $"{error.Message} (version {server.Version})";
        await WriteTextAsync(response, ClickHouseErrors.HttpStatus(code), text + "\n");
    }

    private static async Task WriteTextAsync(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=UTF-8";
        await response.WriteAsync(text);
    }

    // The numbers ClickHouse reports in X-ClickHouse-Summary, as strings like it writes them.
    private static string Summary(QueryStatistics s) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"read_rows":"{{s.ReadRows}}","read_bytes":"{{s.ReadBytes}}","written_rows":"{{s.WrittenRows}}","written_bytes":"{{s.WrittenBytes}}","total_rows_to_read":"{{s.ReadRows}}","result_rows":"{{s.ResultRows}}","result_bytes":"{{s.ResultBytes}}","elapsed_ns":"{{(long)(s.Elapsed.TotalMilliseconds * 1_000_000)}}"}""");

    /// <summary>The FORMAT clause that ends a (non-INSERT) query, which wins over the default format.</summary>
    private static string? FormatClause(ReadOnlySpan<byte> sql)
    {
        if (sql.Length > 64 * 1024) return null; // long texts are inserts with data, not queries with a FORMAT clause
        var text = Encoding.UTF8.GetString(sql);
        return !InsertPattern().IsMatch(text) && FormatPattern().Match(text) is { Success: true } m ? m.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^\s*INSERT\b", RegexOptions.IgnoreCase)]
    private static partial Regex InsertPattern();

    [GeneratedRegex(@"\bFORMAT\s+([A-Za-z][A-Za-z0-9_]*)\s*;?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FormatPattern();

    /// <summary>The Content-Type ClickHouse sends for an output format.</summary>
    private static string ContentType(string format) => format switch
    {
        _ when format.StartsWith("JSON", StringComparison.OrdinalIgnoreCase) => "application/json; charset=UTF-8",
        _ when format.StartsWith("TabSeparated", StringComparison.OrdinalIgnoreCase) || format.StartsWith("TSV", StringComparison.OrdinalIgnoreCase)
            => "text/tab-separated-values; charset=UTF-8",
        _ when format.StartsWith("CSV", StringComparison.OrdinalIgnoreCase)
            => format.Contains("WithNames", StringComparison.OrdinalIgnoreCase) ? "text/csv; charset=UTF-8; header=present" : "text/csv; charset=UTF-8; header=absent",
        _ when format.Equals("XML", StringComparison.OrdinalIgnoreCase) => "application/xml; charset=UTF-8",
        _ when format.StartsWith("RowBinary", StringComparison.OrdinalIgnoreCase) || format is "Native" or "Parquet" or "Arrow" or "ArrowStream"
            or "ORC" or "Avro" or "MsgPack" or "BSONEachRow" or "Protobuf" or "CapnProto" or "Npy" => "application/octet-stream",
        _ => "text/plain; charset=UTF-8",
    };

    private static string? First(StringValues values) => values.Count > 0 && values[0] is { Length: > 0 } v ? v : null;

    private static bool IsOn(StringValues value) => value.ToString().ToLowerInvariant() is "1" or "true";
}
