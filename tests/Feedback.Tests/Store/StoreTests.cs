using Feedback.Analytics.Schema;
using Feedback.Analytics.Store;

namespace Feedback.Tests.Store;

[Collection(SharedStore.Name)]
public sealed class StoreTests(EmbeddedStore store)
{
    [Fact]
    public async Task Migrations_are_applied_once_in_order()
    {
        var again = await Migrator.MigrateAsync(store.Engine);
        var versions = await store.Engine.QueryAsync<VersionRow>("SELECT version FROM schema_migrations FINAL ORDER BY version");

        Assert.Empty(again);
        Assert.Equal(Migrator.All.Select(m => m.Version), versions.Select(v => v.Version));
        Assert.Equal([1u, 2u, 3u], Migrator.All.Select(m => m.Version).Take(3));
    }

    [Fact]
    public async Task Parameters_reach_the_engine_as_typed_values()
    {
        var rows = await store.Engine.QueryAsync<EchoRow>(
            "SELECT {s:String} AS s, {n:Int64} AS n, {d:DateTime64(3, 'UTC')} AS d, {a:Array(String)} AS a",
            new { s = "tab\there, quote ' and back\\slash", n = 42L, d = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero), a = new[] { "x'y", "z" } });

        var row = Assert.Single(rows);
        Assert.Equal("tab\there, quote ' and back\\slash", row.S);
        Assert.Equal(42, row.N);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero), row.D);
        Assert.Equal(["x'y", "z"], row.A);
    }

    [Fact]
    public async Task Both_connections_run_with_the_store_settings()
    {
        foreach (var (name, value) in StoreSettings.All)
        {
            var sql = $"SELECT toString(toUInt8(getSetting('{name}'))) AS value";
            var row = Assert.Single(await store.Engine.QueryAsync<SettingRow>(sql));
            var raw = await store.Engine.QueryRawAsync(new RawQuery { Sql = System.Text.Encoding.UTF8.GetBytes(sql) });

            Assert.Equal(value, row.Value);
            Assert.Equal(value + "\n", System.Text.Encoding.UTF8.GetString(raw.Output));
        }
    }

    [Fact]
    public async Task Engine_errors_carry_the_engine_text()
    {
        var error = await Assert.ThrowsAsync<ClickHouseException>(() => store.Engine.ExecuteAsync("SELEC 1"));
        Assert.Contains("Syntax error", error.Message, StringComparison.Ordinal);
    }

    private sealed record VersionRow(uint Version);

    private sealed record EchoRow(string S, long N, DateTimeOffset D, IReadOnlyList<string> A);

    private sealed record SettingRow(string Value);
}
