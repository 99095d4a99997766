using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Feedback.Server.ClickHouseHttp;

namespace Feedback.Tests.ClickHouseHttp;

/// <summary>
/// The ClickHouse HTTP interface reaches only the store (docs/clickhouse-http.md#confinement): read-only unless
/// writes are allowed, no table function or engine that touches files, URLs, executables or other servers, no
/// way around its limits. Each refusal is checked by what did not happen, not only by the error text.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class ClickHouseHttpConfinementTests(EmbeddedStore store) : IAsyncLifetime, IDisposable
{
    private readonly string probe = Path.Combine(Path.GetTempPath(), "feedback-confinement-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient readOnly = new();
    private readonly HttpClient writable = new();
    private ClickHouseHttpServer readOnlyServer = null!;
    private ClickHouseHttpServer writableServer = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(probe, "secret-of-the-host\n");
        readOnlyServer = await store.StartClickHouseHttpAsync(allowWrites: false, maxExecutionTime: TimeSpan.FromSeconds(1), maxResultBytes: 100_000);
        writableServer = await store.StartClickHouseHttpAsync(allowWrites: true);
        foreach (var (client, server) in new[] { (readOnly, readOnlyServer), (writable, writableServer) })
        {
            client.BaseAddress = server.Url;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("default:" + EmbeddedStore.ClickHousePassword)));
        }
    }

    public async Task DisposeAsync()
    {
        await readOnlyServer.DisposeAsync();
        await writableServer.DisposeAsync();
        File.Delete(probe);
        File.Delete(probe + ".out");
    }

    public void Dispose()
    {
        readOnly.Dispose();
        writable.Dispose();
    }

    [Fact]
    public async Task Reading_the_store_and_computing_work_by_default()
    {
        Assert.Equal("3\n", await PostOkAsync(readOnly, "SELECT count() FROM numbers(3)"));
        Assert.Equal("1\n", await PostOkAsync(readOnly, "SELECT count() > 0 FROM system.tables WHERE name = 'events'"));
        Assert.Equal("0\n", await PostOkAsync(readOnly, "SELECT count() FROM events WHERE project = {p:String}", "&param_p=nobody"));
    }

    [Fact]
    public async Task Without_allowed_writes_nothing_is_written()
    {
        var table = "t_" + Guid.NewGuid().ToString("N")[..12];

        var create = await PostAsync(readOnly, $"CREATE TABLE {table} (a UInt8) ENGINE = Memory");
        var insert = await PostAsync(readOnly, "INSERT INTO events (event_id, kind, project) VALUES (generateUUIDv4(), 'turn', 'confinement')");

        Assert.Equal("164", Code(create));
        Assert.Equal("164", Code(insert));
        Assert.Equal("0\n", await PostOkAsync(writable, $"SELECT count() FROM system.tables WHERE name = '{table}'"));
        Assert.Equal("0\n", await PostOkAsync(writable, "SELECT count() FROM events WHERE project = 'confinement'"));
    }

    [Theory]
    [InlineData("SELECT * FROM file('{probe}', 'LineAsString')")]
    [InlineData("SELECT * FROM FiLe('{probe}', 'LineAsString')")]
    [InlineData("SELECT * FROM `file`('{probe}', 'LineAsString')")]
    [InlineData("SELECT * FROM file/* a comment */('{probe}', 'LineAsString')")]
    [InlineData("SELECT file('{probe}')")]
    [InlineData("SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')")]
    [InlineData("SELECT * FROM remote('127.0.0.1:9000', system.one)")]
    [InlineData("SELECT * FROM executable('cat {probe}', 'LineAsString', 'line String')")]
    [InlineData("SELECT * FROM s3('http://127.0.0.1:1/b/k', 'LineAsString')")]
    [InlineData("SELECT * FROM numbers(1) WHERE 1 IN (SELECT 1 FROM file('{probe}', 'LineAsString'))")]
    public async Task Table_functions_that_reach_outside_the_store_are_refused_in_either_mode(string sql)
    {
        foreach (var client in new[] { readOnly, writable })
        {
            var response = await PostAsync(client, sql.Replace("{probe}", probe, StringComparison.Ordinal));

            Assert.Equal("497", Code(response));
            Assert.DoesNotContain("secret-of-the-host", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("SELECT 1 INTO OUTFILE '{probe}.out'")]
    [InlineData("INSERT INTO FUNCTION file('{probe}.out', 'LineAsString') SELECT 'x'")]
    [InlineData("CREATE TABLE t_file ENGINE = File(LineAsString, '{probe}.out') AS SELECT 'x' AS line")]
    [InlineData("CREATE TABLE t_url (a String) ENGINE = URL('http://127.0.0.1:1/', 'LineAsString')")]
    [InlineData("CREATE DICTIONARY d_http (a UInt64) PRIMARY KEY a SOURCE(HTTP(url 'http://127.0.0.1:1/' format 'TSV')) LAYOUT(FLAT()) LIFETIME(0)")]
    [InlineData("CREATE DATABASE d_mysql ENGINE = MySQL('127.0.0.1:1', 'db', 'u', 'p')")]
    [InlineData("BACKUP TABLE events TO File('{probe}.out')")]
    [InlineData("SYSTEM DROP MARK CACHE")]
    public async Task Even_with_writes_allowed_nothing_reaches_the_host_or_the_network(string sql)
    {
        var response = await PostAsync(writable, sql.Replace("{probe}", probe, StringComparison.Ordinal));

        Assert.Equal("497", Code(response));
        Assert.False(File.Exists(probe + ".out"));
    }

    [Fact]
    public async Task Insert_data_cannot_call_functions()
    {
        var table = "t_" + Guid.NewGuid().ToString("N")[..12];
        await PostOkAsync(writable, $"CREATE TABLE {table} (line String) ENGINE = MergeTree ORDER BY line");

        var values = await PostAsync(writable, $"INSERT INTO {table} VALUES (file('{probe}'))");
        var format = await PostAsync(writable, $"INSERT INTO {table} FORMAT Values\n(file('{probe}'))");
        await PostOkAsync(writable, $"INSERT INTO {table} VALUES ('plain literal')");

        Assert.NotEqual(HttpStatusCode.OK, values.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, format.StatusCode);
        Assert.Equal("plain literal\n", await PostOkAsync(writable, $"SELECT line FROM {table}"));
    }

    [Fact]
    public async Task Writes_to_the_store_work_when_allowed()
    {
        var table = "t_" + Guid.NewGuid().ToString("N")[..12];

        await PostOkAsync(writable, $"CREATE TABLE {table} (a UInt8) ENGINE = MergeTree ORDER BY a");
        await PostOkAsync(writable, $"INSERT INTO {table} SELECT number FROM numbers(5)");

        Assert.Equal("5\n", await PostOkAsync(readOnly, $"SELECT count() FROM {table}"));
    }

    [Theory]
    [InlineData("SELECT 1 SETTINGS readonly = 0", "")]
    [InlineData("SELECT count() FROM system.numbers SETTINGS max_execution_time = 1000", "")]
    [InlineData("SET max_execution_time = 1000", "")]
    [InlineData("SELECT 1; SELECT 2", "")]
    [InlineData("SELECT 1", "&readonly=0")]
    [InlineData("SELECT 1", "&max_execution_time=1000")]
    [InlineData("SELECT 1", "&max_result_bytes=0")]
    public async Task Limits_and_mode_cannot_be_changed_by_the_client(string sql, string url)
    {
        foreach (var client in new[] { readOnly, writable })
        {
            var response = await PostAsync(client, sql, url);

            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_statement_over_its_time_or_result_size_is_stopped_by_the_engine()
    {
        var slow = await PostAsync(readOnly, "SELECT count() FROM system.numbers");
        var big = await PostAsync(readOnly, "SELECT number FROM numbers(1000000)");

        Assert.Equal("159", Code(slow)); // TIMEOUT_EXCEEDED: system.numbers never ends
        Assert.Equal("396", Code(big)); // TOO_MANY_ROWS_OR_BYTES: 8 MB of result over a limit of 100 kB
    }

    [Fact]
    public void The_password_comes_from_the_environment_else_a_file_else_the_command_line()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "from-file\nignored");
        try
        {
            Assert.Equal("from-env", ClickHouseHttpPassword.Resolve("from-argv", file, _ => "from-env"));
            Assert.Equal("from-file", ClickHouseHttpPassword.Resolve("from-argv", file, _ => null));
            Assert.Equal("from-argv", ClickHouseHttpPassword.Resolve("from-argv", null, _ => null));
            Assert.Null(ClickHouseHttpPassword.Resolve(null, null, _ => ""));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string sql, string url = "") =>
        await client.PostAsync("?database=default" + url, new StringContent(sql));

    private static async Task<string> PostOkAsync(HttpClient client, string sql, string url = "")
    {
        var response = await PostAsync(client, sql, url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{sql}: {text}");
        return text;
    }

    private static string? Code(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-ClickHouse-Exception-Code", out var values) ? values.First() : null;
}
