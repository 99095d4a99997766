using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Feedback.Server.ClickHouseHttp;

namespace Feedback.Tests.ClickHouseHttp;

/// <summary>ClickHouse's HTTP interface as curl and other plain HTTP clients use it, against the embedded store.</summary>
[Collection(SharedStore.Name)]
public sealed class ClickHouseHttpProtocolTests(EmbeddedStore store) : IAsyncLifetime, IDisposable
{
    private readonly string database = "ch_" + Guid.NewGuid().ToString("N")[..12];
    private readonly HttpClient http = new(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
    private ClickHouseHttpServer server = null!;

    public async Task InitializeAsync()
    {
        server = await store.StartClickHouseHttpAsync();
        http.BaseAddress = server.Url;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("default:" + EmbeddedStore.ClickHousePassword)));
        await PostOkAsync("", $"CREATE DATABASE {database}");
        await PostOkAsync("", $"CREATE TABLE {database}.t (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
    }

    public Task DisposeAsync() => server.DisposeAsync().AsTask();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Ping_answers_Ok()
    {
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        Assert.Equal("Ok.\n", await anonymous.GetStringAsync("ping"));
        Assert.Equal("Ok.\n", await anonymous.GetStringAsync(""));
    }

    [Fact]
    public async Task Post_with_the_query_in_the_url_answers_in_the_format_of_its_FORMAT_clause()
    {
        using var response = await http.PostAsync("?query=" + Uri.EscapeDataString("SELECT number AS n, toString(number) AS s FROM numbers(3) FORMAT JSONEachRow"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"n\":0,\"s\":\"0\"}\n{\"n\":1,\"s\":\"1\"}\n{\"n\":2,\"s\":\"2\"}\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("JSONEachRow", Header(response, "X-ClickHouse-Format"));
        Assert.Equal("Etc/UTC", Header(response, "X-ClickHouse-Timezone"));
        Assert.False(string.IsNullOrEmpty(Header(response, "X-ClickHouse-Query-Id")));
        using var summary = JsonDocument.Parse(Header(response, "X-ClickHouse-Summary")!);
        Assert.Equal("3", summary.RootElement.GetProperty("result_rows").GetString());
        Assert.Equal("0", summary.RootElement.GetProperty("written_rows").GetString());
    }

    [Fact]
    public async Task Get_runs_reading_queries_in_TabSeparated_and_refuses_writes()
    {
        using var read = await http.GetAsync("?query=" + Uri.EscapeDataString("SELECT 1, 'a\tb'") + "&query_id=my-query");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("1\ta\\tb\n", await read.Content.ReadAsStringAsync());
        Assert.Equal("my-query", Header(read, "X-ClickHouse-Query-Id"));
        Assert.Equal("TabSeparated", Header(read, "X-ClickHouse-Format"));

        using var write = await http.GetAsync("?query=" + Uri.EscapeDataString($"INSERT INTO {database}.t VALUES (1, 'x')"));
        await AssertErrorAsync(write, HttpStatusCode.InternalServerError, 164, "READONLY");
    }

    [Fact]
    public async Task Query_parameter_and_body_are_joined_and_default_format_applies()
    {
        using var response = await http.PostAsync("?default_format=CSV&query=SELECT%201%20AS%20a,", new StringContent("'x' AS b"));
        Assert.Equal("1,\"x\"\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("CSV", Header(response, "X-ClickHouse-Format"));

        using var byHeader = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent("SELECT 2 AS a") };
        byHeader.Headers.Add("X-ClickHouse-Format", "JSONCompactEachRow");
        using var formatted = await http.SendAsync(byHeader);
        Assert.Equal("[2]\n", await formatted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Gzip_insert_bodies_are_stored_and_the_database_parameter_chooses_the_database()
    {
        var rows = "{\"id\":1,\"name\":\"one\"}\n{\"id\":2,\"name\":\"two\"}\n"u8.ToArray();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            await gzip.WriteAsync(rows);
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");

        using var insert = await http.PostAsync($"?database={database}&query=" + Uri.EscapeDataString("INSERT INTO t FORMAT JSONEachRow"), content);

        Assert.Equal(HttpStatusCode.OK, insert.StatusCode);
        using (var summary = JsonDocument.Parse(Header(insert, "X-ClickHouse-Summary")!))
            Assert.Equal("2", summary.RootElement.GetProperty("written_rows").GetString());
        Assert.Equal("one,two\n", await PostOkAsync($"?database={database}", "SELECT arrayStringConcat(groupArray(name), ',') FROM (SELECT name FROM t ORDER BY id)"));

        using var byHeader = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent("SELECT count() FROM t") };
        byHeader.Headers.Add("X-ClickHouse-Database", database);
        Assert.Equal("2\n", await (await http.SendAsync(byHeader)).Content.ReadAsStringAsync());
        Assert.Equal("default\n", await PostOkAsync("", "SELECT currentDatabase()")); // no database left behind
    }

    [Fact]
    public async Task Param_url_parameters_are_bound_server_side()
    {
        // Values are in ClickHouse's escaped text form, as for a ClickHouse server: \t is a tab.
        var text = await PostOkAsync("?param_name=" + Uri.EscapeDataString("O'Brien\\tjr") + "&param_n=41&default_format=JSONEachRow",
            "SELECT {name:String} AS name, {n:UInt8} + 1 AS n");
        Assert.Equal("{\"name\":\"O'Brien\\tjr\",\"n\":42}\n", text);
    }

    [Fact]
    public async Task Other_url_parameters_are_settings_of_that_query_only()
    {
        Assert.Equal("3\thello\n", await PostOkAsync("?max_threads=3&log_comment=hello&enable_http_compression=0",
            "SELECT getSetting('max_threads'), getSetting('log_comment')"));
        Assert.Equal("\n", await PostOkAsync("", "SELECT getSetting('log_comment')"));

        using var unknown = await http.PostAsync("?no_such_setting=1", new StringContent("SELECT 1"));
        await AssertErrorAsync(unknown, HttpStatusCode.NotFound, 115, "UNKNOWN_SETTING");
    }

    [Fact]
    public async Task Responses_are_compressed_when_asked_for()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "?enable_http_compression=1") { Content = new StringContent("SELECT 'compressed'") };
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var response = await http.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        Assert.Equal("compressed\n", await new StreamReader(gzip).ReadToEndAsync());
    }

    [Fact]
    public async Task Errors_carry_ClickHouse_text_code_and_status()
    {
        using var syntax = await http.PostAsync("", new StringContent("SELEC 1"));
        var text = await AssertErrorAsync(syntax, HttpStatusCode.BadRequest, 62, "SYNTAX_ERROR");
        Assert.StartsWith("Code: 62. DB::Exception: Syntax error", text, StringComparison.Ordinal);

        using var table = await http.PostAsync("", new StringContent("SELECT * FROM no_such_table"));
        await AssertErrorAsync(table, HttpStatusCode.NotFound, 60, "UNKNOWN_TABLE");

        using var empty = await http.PostAsync("", new StringContent(""));
        await AssertErrorAsync(empty, HttpStatusCode.BadRequest, 62, "SYNTAX_ERROR");
    }

    [Fact]
    public async Task Credentials_are_checked_from_every_source_ClickHouse_reads()
    {
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        var password = Uri.EscapeDataString(EmbeddedStore.ClickHousePassword);
        Assert.Equal("1\n", await anonymous.GetStringAsync($"?user=default&password={password}&query=SELECT%201"));

        using var headers = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent("SELECT 1") };
        headers.Headers.Add("X-ClickHouse-User", "default");
        headers.Headers.Add("X-ClickHouse-Key", EmbeddedStore.ClickHousePassword);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(headers)).StatusCode);

        using var wrong = await anonymous.GetAsync("?user=default&password=wrong&query=SELECT%201");
        var text = await AssertErrorAsync(wrong, HttpStatusCode.Forbidden, 516, "AUTHENTICATION_FAILED");
        Assert.Contains("default: Authentication failed: password is incorrect", text, StringComparison.Ordinal);

        using var none = await anonymous.GetAsync("?query=SELECT%201");
        await AssertErrorAsync(none, HttpStatusCode.Forbidden, 516, "AUTHENTICATION_FAILED");

        using var mixed = await http.GetAsync($"?user=default&password={password}&query=SELECT%201");
        await AssertErrorAsync(mixed, HttpStatusCode.Forbidden, 516, "AUTHENTICATION_FAILED");
    }

    private async Task<string> PostOkAsync(string url, string sql)
    {
        using var response = await http.PostAsync(url, new StringContent(sql));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }

    private static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, string name)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "X-ClickHouse-Exception-Code"));
        Assert.StartsWith($"Code: {code}. DB::Exception: ", text, StringComparison.Ordinal);
        Assert.Contains($"({name})", text, StringComparison.Ordinal);
        return text;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : null;
}
