using System.CommandLine;
using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Feedback.Analytics.Projects;
using Feedback.Cli.Backends;
using Feedback.Server.ReadApi;

namespace Feedback.Cli.Commands;

/// <summary><c>feedback export</c>: pairs (or labels) into a file, with filters, watermarks and noise and bias controls (docs/export.md).</summary>
public static class ExportCommand
{
    public static Command Create(Option<string> dataDir)
    {
        var project = new Option<string>("--project") { Description = "Project to export", DefaultValueFactory = _ => ProjectKeys.DefaultProject };
        var output = new Option<string?>("--out") { Description = "Output file (default: <data-dir>/exports/<project>-<format>-<time>.<jsonl|parquet>)" };
        var format = new Option<string>("--format") { Description = "dpo (TRL DPO JSONL), kto (TRL KTO JSONL), openai (OpenAI preference JSONL) or parquet", DefaultValueFactory = _ => DpoFormat.Name };
        format.AcceptOnlyFromAmong([.. ExportFormats.Shipped.Names]);
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only pairs created at or after this time (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only pairs created before this time; with --watermark the cut-off, default the run's start" };
        var model = new Option<string[]>("--model") { Description = "Only pairs of these models", AllowMultipleArgumentsPerToken = true };
        var modelVersion = new Option<string[]>("--model-version") { Description = "Only pairs of these model versions", AllowMultipleArgumentsPerToken = true };
        var source = new Option<string[]>("--source") { Description = "Only pairs from these sources (edit, ...)", AllowMultipleArgumentsPerToken = true };
        var minConfidence = new Option<float>("--min-confidence") { Description = "Only pairs with at least this confidence (0-1)" };
        var reviewedOnly = new Option<bool>("--reviewed-only") { Description = "Only rows a person reviewed in the review queue (docs/reviews.md)" };
        var watermark = new Option<string?>("--watermark") { Description = "Incremental: export only what is new since the last successful run with this name, then advance it" };
        // Noise and bias controls (docs/export.md).
        var minPredicted = new Option<float?>("--min-predicted-positive") { Description = "kto: desirable rows of turns scored by the reaction predictor need at least this P[positive]" };
        var maxPerUser = new Option<int>("--max-per-user") { Description = "At most this many rows per user (0: no cap)", DefaultValueFactory = _ => ExportFilter.DefaultMaxPerUser };
        var maxPerVersion = new Option<int>("--max-per-model-version") { Description = "At most this many rows per model version, to balance versions (0: no cap)" };
        var dedupe = new Option<bool>("--dedupe") { Description = "Drop rows equal to an earlier one after normalising case and whitespace" };
        var balanced = new Option<bool>("--length-balanced") { Description = "Pairs: as many with the chosen answer longer as with it shorter" };
        var noOutliers = new Option<bool>("--exclude-outlier-users") { Description = "Leave out the users `feedback report bias` flags" };
        var command = new Command("export", "Export preference pairs (default: all pairs as TRL DPO JSON Lines)")
        {
            project, output, format, from, to, model, modelVersion, source, minConfidence, reviewedOnly, watermark,
            minPredicted, maxPerUser, maxPerVersion, dedupe, balanced, noOutliers,
        };
        command.SetAction(async (result, ct) =>
        {
            var dir = result.GetValue(dataDir)!;
            var name = result.GetValue(project)!;
            var query = new ExportQuery
            {
                Format = result.GetValue(format)!,
                From = result.GetValue(from),
                To = result.GetValue(to),
                Models = result.GetValue(model) ?? [],
                ModelVersions = result.GetValue(modelVersion) ?? [],
                Sources = result.GetValue(source) ?? [],
                MinConfidence = result.GetValue(minConfidence),
                ReviewedOnly = result.GetValue(reviewedOnly),
                Watermark = result.GetValue(watermark),
                MinPredictedPositive = result.GetValue(minPredicted),
                MaxPerUser = result.GetValue(maxPerUser),
                MaxPerModelVersion = result.GetValue(maxPerVersion),
                Deduplicate = result.GetValue(dedupe),
                LengthBalanced = result.GetValue(balanced),
                ExcludeOutlierUsers = result.GetValue(noOutliers),
            };
            if (query.Refusal(ExportFormats.Shipped) is { } refusal)
            {
                await Console.Error.WriteLineAsync(refusal);
                return 2;
            }
            var path = result.GetValue(output)
                ?? Path.Combine(dir, "exports", $"{name}-{query.Format}-{DateTime.UtcNow:yyyyMMddTHHmmssZ}.{ExportFormats.Shipped[query.Format].Extension}");
            // Progress only for a person watching: never into a redirected stderr (logs, pipelines).
            var showProgress = !Console.IsErrorRedirected;
            using var backend = await StoreBackend.OpenAsync(dir, ct);
            var rows = await backend.Exporter.ExportAsync(name, query, path, showProgress, ct);
            if (showProgress) Console.Error.WriteLine();
            Console.WriteLine($"Exported {rows} {(ExportFormats.Shipped[query.Format].WritesLabels ? "rows" : "pairs")} of project '{name}' to {path}");
            return 0;
        });
        return command;
    }
}
