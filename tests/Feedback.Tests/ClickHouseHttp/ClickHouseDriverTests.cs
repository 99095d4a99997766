using ClickHouse.Driver;
using ClickHouse.Driver.ADO.Parameters;
using ClickHouse.Driver.Compression;
using ClickHouse.Driver.Utility;
using Feedback.Server.ClickHouseHttp;

namespace Feedback.Tests.ClickHouseHttp;

/// <summary>The official .NET driver (ClickHouse.Driver) against the embedded store, over real HTTP.</summary>
[Collection(SharedStore.Name)]
public sealed class ClickHouseDriverTests(EmbeddedStore store) : IAsyncLifetime, IDisposable
{
    private static readonly string[] Columns = ["id", "s", "lc", "ts", "nu", "nf", "f", "u", "tags", "ids", "attrs", "messages"];

    private readonly string database = "ch_" + Guid.NewGuid().ToString("N")[..12];
    private ClickHouseHttpServer server = null!;
    private ClickHouseClient client = null!;

    public async Task InitializeAsync()
    {
        server = await store.StartClickHouseHttpAsync();
        client = new ClickHouseClient($"Host=127.0.0.1;Port={server.Url.Port};Username=default;Password={EmbeddedStore.ClickHousePassword}");
        await client.ExecuteNonQueryAsync($"CREATE DATABASE {database}");
    }

    public Task DisposeAsync() => server.DisposeAsync().AsTask();

    public void Dispose() => client.Dispose();

    [Theory]
    [InlineData("default")] // zstd, the driver's default
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("none")]
    public async Task Every_column_type_of_the_schema_round_trips_through_binary_insert(string compression)
    {
        var table = $"{database}.all_types_{compression}";
        var options = compression switch
        {
            "gzip" => new InsertOptions { Compressor = GZipCompressor.Default },
            "br" => new InsertOptions { Compressor = BrotliCompressor.Default },
            "none" => new InsertOptions { Compressor = null },
            _ => null,
        };
        await client.ExecuteNonQueryAsync($"""
            CREATE TABLE {table} (
                id UUID, s String, lc LowCardinality(String), ts DateTime64(3, 'UTC'), nu Nullable(UInt32), nf Nullable(Float64),
                f Float32, u UInt32, tags Array(String), ids Array(UUID), attrs Map(String, String),
                messages Array(Tuple(role String, content String))
            ) ENGINE = MergeTree ORDER BY u
            """);
        object[] full =
        [
            Guid.NewGuid(), "tab\there, newline\nthere, quote ' \" back\\slash, ünïcödé ✓", "edit",
            new DateTime(2026, 11, 22, 10, 0, 5, 123, DateTimeKind.Utc), 42u, 0.25, 1.5f, 1u,
            new[] { "a", "b,c" }, new[] { Guid.NewGuid(), Guid.NewGuid() },
            new Dictionary<string, string> { ["k"] = "v", ["empty"] = "" },
            new[] { Tuple.Create("user", "Capital of Australia?"), Tuple.Create("assistant", "Sydney.") },
        ];
        object?[] sparse =
        [
            Guid.NewGuid(), "", "", new DateTime(1970, 1, 1, 0, 0, 0, 1, DateTimeKind.Utc), null, null, -0.5f, uint.MaxValue,
            Array.Empty<string>(), Array.Empty<Guid>(), new Dictionary<string, string>(), Array.Empty<Tuple<string, string>>(),
        ];

        var inserted = await client.InsertBinaryAsync(table, Columns, [full, sparse!], options);

        Assert.Equal(2, inserted);
        using var reader = await client.ExecuteReaderAsync($"SELECT {string.Join(", ", Columns)} FROM {table} ORDER BY u");
        foreach (var expected in new[] { full, sparse })
        {
            Assert.True(reader.Read());
            Assert.Equal(expected[0], reader.GetGuid(0));
            Assert.Equal(expected[1], reader.GetString(1));
            Assert.Equal(expected[2], reader.GetString(2));
            Assert.Equal(expected[3], reader.GetDateTime(3));
            Assert.Equal(expected[4], reader.IsDBNull(4) ? null : reader.GetFieldValue<uint>(4));
            Assert.Equal(expected[5], reader.IsDBNull(5) ? null : reader.GetDouble(5));
            Assert.Equal(expected[6], reader.GetFloat(6));
            Assert.Equal(expected[7], reader.GetFieldValue<uint>(7));
            Assert.Equal((string[])expected[8]!, reader.GetFieldValue<string[]>(8));
            Assert.Equal((Guid[])expected[9]!, reader.GetFieldValue<Guid[]>(9));
            Assert.Equal((Dictionary<string, string>)expected[10]!, reader.GetFieldValue<Dictionary<string, string>>(10));
            Assert.Equal((Tuple<string, string>[])expected[11]!, reader.GetFieldValue<Tuple<string, string>[]>(11));
        }
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task A_large_binary_insert_whose_bytes_include_line_feeds_arrives_whole()
    {
        // Random UUIDs and texts of length 10 put 0x0A bytes all through a RowBinary body: inline after the statement
        // text, such data was misread (code 33, "Cannot read all data"); streamed apart from it, every row arrives.
        var table = $"{database}.line_feeds";
        await client.ExecuteNonQueryAsync($"CREATE TABLE {table} (id UUID, n UInt32, s String) ENGINE = MergeTree ORDER BY n");
        var random = new Random(33);
        var rows = Enumerable.Range(0, 5_000).Select(n =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new object[] { new Guid(bytes), (uint)n, n % 3 == 0 ? "ten bytes\n" : $"line\nfeed {n}\n" };
        }).ToList();

        var inserted = await client.InsertBinaryAsync(table, ["id", "n", "s"], rows);

        Assert.Equal(rows.Count, inserted);
        using var reader = await client.ExecuteReaderAsync($"SELECT id, n, s FROM {table} ORDER BY n");
        foreach (var expected in rows)
        {
            Assert.True(reader.Read());
            Assert.Equal(expected[0], reader.GetGuid(0));
            Assert.Equal(expected[2], reader.GetString(2));
        }
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task Query_parameters_are_bound_by_the_server()
    {
        var id = Guid.NewGuid();
        var parameters = new ClickHouseParameterCollection();
        parameters.AddParameter("s", "it's a\ttab");
        parameters.AddParameter("n", 7u);
        parameters.AddParameter("id", id);
        parameters.AddParameter("tags", new[] { "x'y", "z" });

        using var reader = await client.ExecuteReaderAsync(
            "SELECT {s:String} AS s, {n:UInt32} + 1 AS n, {id:UUID} AS id, {tags:Array(String)} AS tags", parameters);

        Assert.True(reader.Read());
        Assert.Equal("it's a\ttab", reader.GetString(0));
        Assert.Equal(8L, Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(id, reader.GetGuid(2));
        Assert.Equal(["x'y", "z"], reader.GetFieldValue<string[]>(3));
    }

    // Parameters travel in the URL; a ClickHouse server takes up to 1 MiB there (http_max_uri_size), and a mining
    // statement may carry a list of every project of a store (SignalsMarks): Kestrel's default of 8 KB refused it.
    [Fact]
    public async Task A_parameter_of_a_few_hundred_kilobytes_is_taken_as_a_server_takes_it()
    {
        var projects = Enumerable.Range(0, 10_000).Select(i => $"project-{i:D8}").ToArray();
        var parameters = new ClickHouseParameterCollection();
        parameters.AddParameter("projects", projects);

        var count = await client.ExecuteScalarAsync("SELECT length({projects:Array(String)})", parameters);

        Assert.Equal(10_000L, Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Scalars_ping_and_server_errors_reach_the_driver()
    {
        Assert.True(await client.PingAsync());
        Assert.Equal("26", ((string)(await client.ExecuteScalarAsync("SELECT version()"))!).Split('.')[0]);

        var error = await Assert.ThrowsAsync<ClickHouseServerException>(() => client.ExecuteScalarAsync("SELECT * FROM no_such_table_here"));
        Assert.Equal(60, error.ErrorCode);
        Assert.Contains("UNKNOWN_TABLE", error.Message, StringComparison.Ordinal);
    }
}
