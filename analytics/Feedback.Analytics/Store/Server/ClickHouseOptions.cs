namespace Feedback.Analytics.Store.Server;

/// <summary>The ClickHouse server of the distributed mode (configuration section <c>Feedback:ClickHouse</c>).</summary>
public sealed class ClickHouseOptions
{
    public const string Section = "Feedback:ClickHouse";

    /// <summary>A ClickHouse.Driver connection string, e.g. <c>Host=clickhouse;Port=8123;Username=default;Password=…</c>.</summary>
    public string ConnectionString { get; set; } = "";
}
