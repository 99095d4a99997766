using System.Text.RegularExpressions;
using Feedback.Analytics.Kafka;
using Feedback.Analytics.Store.Server;
using Feedback.Ingest;
using YamlDotNet.RepresentationModel;

namespace Feedback.Tests.Deployment;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so this checks what can go wrong without running it:
/// every configuration key is a real option, and ports, topics and hosts agree across services.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly Dictionary<string, Type> OptionSections = new()
    {
        [KafkaOptions.Section] = typeof(KafkaOptions),
        [ClickHouseOptions.Section] = typeof(ClickHouseOptions),
        [IngestOptions.Section] = typeof(IngestOptions),
    };

    private readonly YamlMappingNode services;

    public ComposeFileTests()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot(), "docker-compose.yml"));
        stream.Load(reader);
        services = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
    }

    [Fact]
    public void The_services_of_the_distributed_mode_are_all_there_with_healthchecks_and_volumes()
    {
        Assert.Equal(["clickhouse", "ingest", "kafka", "kafka-topics", "worker"], services.Children.Keys.Select(k => k.ToString()).Order());
        foreach (var name in new[] { "kafka", "clickhouse", "ingest", "worker" })
            Assert.True(Service(name).Children.ContainsKey("healthcheck"), $"{name} has a healthcheck");
        Assert.Contains("kafka-data:", Volumes("kafka")[0], StringComparison.Ordinal);
        Assert.Contains("clickhouse-data:", Volumes("clickhouse")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_feedback_setting_is_an_option_the_code_reads()
    {
        var keys = new[] { "ingest", "worker" }.SelectMany(s => Environment(s).Keys).Where(k => k.StartsWith("Feedback__", StringComparison.Ordinal)).Distinct().ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var parts = key.Split("__");
            Assert.True(parts.Length == 3, $"{key} names a section and a property");
            var section = $"{parts[0]}:{parts[1]}";
            Assert.True(OptionSections.TryGetValue(section, out var type), $"{key}: no options class reads section {section}");
            Assert.True(type.GetProperty(parts[2]) is { CanWrite: true }, $"{key}: {type.Name} has no settable property {parts[2]}");
        }
    }

    [Fact]
    public void Ports_topics_and_hosts_agree_across_services()
    {
        foreach (var (service, port) in new[] { ("ingest", "8400"), ("worker", "8401") })
        {
            var command = Command(service);
            Assert.Equal(port, command[command.IndexOf("--port") + 1]);
            Assert.Equal("0.0.0.0", command[command.IndexOf("--listen") + 1]);
            Assert.Contains($"http://127.0.0.1:{port}/health", string.Join(' ', Sequence(Service(service)["healthcheck"]["test"])), StringComparison.Ordinal);
        }
        Assert.Contains("8400:8400", Sequence(Service("ingest")["ports"]));

        var env = Environment("worker");
        Assert.Equal(Environment("ingest")["Feedback__Kafka__Topic"], env["Feedback__Kafka__Topic"]);
        var topicsCommand = string.Join(' ', Sequence(Service("kafka-topics")["command"]));
        Assert.Contains($"--topic {env["Feedback__Kafka__Topic"]} ", topicsCommand, StringComparison.Ordinal);
        Assert.Contains($"--topic {env["Feedback__Kafka__DeadLetterTopic"]} ", topicsCommand, StringComparison.Ordinal);

        var kafka = Environment("kafka");
        Assert.Contains($"PLAINTEXT://{env["Feedback__Kafka__BootstrapServers"]}", kafka["KAFKA_ADVERTISED_LISTENERS"], StringComparison.Ordinal);
        var connection = env["Feedback__ClickHouse__ConnectionString"];
        Assert.Contains("Host=clickhouse;Port=8123;", connection, StringComparison.Ordinal);
        Assert.Contains($"Username={Environment("clickhouse")["CLICKHOUSE_USER"]};", connection, StringComparison.Ordinal);
        Assert.Equal(Environment("clickhouse")["CLICKHOUSE_PASSWORD"], PasswordPattern().Match(connection).Groups[1].Value);
    }

    private YamlMappingNode Service(string name) => (YamlMappingNode)services[name];

    private List<string> Command(string service) => Sequence(Service(service)["command"]);

    private List<string> Volumes(string service) => Sequence(Service(service)["volumes"]);

    private Dictionary<string, string> Environment(string service) =>
        ((YamlMappingNode)Service(service)["environment"]).Children
            .SelectMany(c => c.Key.ToString() == "<<"
                ? ((YamlMappingNode)c.Value).Children.AsEnumerable()
                : [c])
            .ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());

    private static List<string> Sequence(YamlNode node) => ((YamlSequenceNode)node).Children.Select(c => c.ToString()).ToList();

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Feedback.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Feedback.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Password=([^;]+);")]
    private static partial Regex PasswordPattern();
}
