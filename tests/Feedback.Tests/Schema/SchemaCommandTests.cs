using Feedback.Analytics.Schema;
using Feedback.Tests.Process;

namespace Feedback.Tests.Schema;

/// <summary><c>feedback schema</c> as an operator runs it; it needs no store.</summary>
public sealed class SchemaCommandTests
{
    [Fact]
    public async Task Schema_writes_the_cluster_script_from_a_version_on_and_refuses_a_name_it_cannot_quote()
    {
        var directory = Path.Combine(Path.GetTempPath(), "feedback-schema-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(Path.GetTempPath(), "feedback-schema-" + Guid.NewGuid().ToString("N") + ".sql");
        try
        {
            var output = await FeedbackProcess.RunAsync(directory, "schema", "--cluster", "prod", "--after", "21", "--out", file);
            var (exitCode, refused) = await FeedbackProcess.TryRunAsync(directory, "schema", "--cluster", "prod'; DROP TABLE events");

            Assert.Contains($"Wrote the schema for cluster 'prod' ({Migrator.All.Count(m => m.Version > 21)} migrations)", output, StringComparison.Ordinal);
            var script = await File.ReadAllTextAsync(file);
            Assert.Contains("CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER 'prod'", script, StringComparison.Ordinal);
            Assert.Contains("ALTER TABLE events_local ON CLUSTER 'prod' ADD COLUMN IF NOT EXISTS evaluation_name", script, StringComparison.Ordinal);
            Assert.DoesNotContain("0021_text_embeddings", script, StringComparison.Ordinal);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("--cluster: A cluster name is letters, digits", refused, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
