using System.CommandLine;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Schema.Cluster;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback schema --cluster NAME</c>: the schema as DDL for a self-managed ClickHouse cluster (docs/cluster.md).</summary>
public static class SchemaCommand
{
    public static Command Create()
    {
        var cluster = new Option<string>("--cluster") { Description = "Name of the cluster in the servers' remote_servers", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the script to this file instead of stdout" };
        var after = new Option<uint>("--after") { Description = "Only the migrations numbered above this one (a cluster already at that version: SELECT max(version) FROM schema_migrations)" };
        var command = new Command("schema", "Print the schema as DDL for a self-managed ClickHouse cluster: replicated local tables, Distributed tables, ON CLUSTER (docs/cluster.md)")
        {
            cluster, output, after,
        };
        command.Validators.Add(result =>
        {
            try
            {
                _ = new ClusterName(result.GetValue(cluster)!);
            }
            catch (ArgumentException e)
            {
                result.AddError("--cluster: " + e.Message.Split(" (Parameter", 2)[0]);
            }
        });
        command.SetAction(async (result, ct) =>
        {
            var migrations = Migrator.All.Where(m => m.Version > result.GetValue(after)).ToList();
            var script = new ClusterLayout(result.GetValue(cluster)!).Script(migrations);
            if (result.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, script, ct);
                Console.WriteLine($"Wrote the schema for cluster '{result.GetValue(cluster)}' ({migrations.Count} migrations) to {file}");
            }
            else Console.Write(script);
            return 0;
        });
        return command;
    }
}
