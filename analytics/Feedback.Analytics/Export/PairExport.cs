using System.Text.Json;
using System.Text.Json.Serialization;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;
using Feedback.Events;
using Parquet;
using Parquet.Serialization;

namespace Feedback.Analytics.Export;

/// <summary>The export formats (docs/export.md).</summary>
public static class ExportFormats
{
    public const string Dpo = "dpo";
    public const string Kto = "kto";
    public const string OpenAi = "openai";
    public const string Parquet = "parquet";

    public static IReadOnlyList<string> All { get; } = [Dpo, Kto, OpenAi, Parquet];

    public static string Extension(string format) => format == Parquet ? "parquet" : "jsonl";

    public static string ContentType(string format) => format == Parquet ? "application/vnd.apache.parquet" : "application/jsonl";
}

/// <summary>
/// Writes the rows an <see cref="ExportFilter"/> selects in one of the <see cref="ExportFormats"/>, oldest first.
/// JSON Lines go out a row at a time; Parquet is written in row groups.
/// </summary>
public sealed class PairExport(IClickHouse store, IKtoRowSource? ktoRows = null)
{
    private const int RowGroupSize = 10_000;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly PairReader pairs = new(store);
    private readonly IKtoRowSource kto = ktoRows ?? new TurnLabelReader(store);

    /// <summary>The position of the last row the export would write (where a watermark moves to), or null for none.</summary>
    public Task<ExportPosition?> LastAsync(string format, ExportFilter filter, CancellationToken cancellationToken = default) =>
        format == ExportFormats.Kto ? kto.LastAsync(filter, cancellationToken) : pairs.LastAsync(filter, cancellationToken);

    /// <summary>Writes the export; returns how many rows (lines) it wrote. <paramref name="progress"/> hears the running count.</summary>
    public Task<int> WriteAsync(
        string format, ExportFilter filter, Stream output, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        Refusal(format, filter) is { } refusal ? throw new ArgumentException(refusal, nameof(filter)) : format switch
        {
            ExportFormats.Dpo => WriteLinesAsync(Pairs(filter, cancellationToken), DpoLine.Of, output, progress, cancellationToken),
            ExportFormats.OpenAi => WriteLinesAsync(Pairs(filter, cancellationToken), OpenAiLine.Of, output, progress, cancellationToken),
            ExportFormats.Kto => WriteLinesAsync(
                ExportControls.Capped(filter, kto.ReadAsync(filter, cancellationToken), r => r.Meta.UserId, r => r.Meta.ModelVersion, ExportControls.DedupeKey),
                KtoLine.Of, output, progress, cancellationToken),
            ExportFormats.Parquet => WriteParquetAsync(Pairs(filter, cancellationToken), output, progress, cancellationToken),
            _ => throw new ArgumentException($"unknown format '{format}' (one of {string.Join(", ", ExportFormats.All)})", nameof(format)),
        };

    /// <summary>Why this format cannot take this filter (null: it can); a request gets it as a 400.</summary>
    public static string? Refusal(string format, ExportFilter filter) => format switch
    {
        _ when !ExportFormats.All.Contains(format) => $"format is one of {string.Join(", ", ExportFormats.All)}",
        ExportFormats.Kto when filter.LengthBalanced => "length balancing is for pairs; kto rows have one completion",
        not ExportFormats.Kto when filter.MinPredictedPositive is not null => "min_predicted_positive applies to kto (labels) only",
        _ => null,
    };

    private IAsyncEnumerable<PreferencePair> Pairs(ExportFilter filter, CancellationToken cancellationToken) =>
        ExportControls.ApplyAsync(filter, () => pairs.ReadAsync(filter, cancellationToken), cancellationToken);

    public static string RenderPrompt(IReadOnlyList<RequestMessage> request) =>
        request.Count == 1 ? request[0].Content : string.Join("\n\n", request.Select(m => $"{m.Role}: {m.Content}"));

    private static async Task<int> WriteLinesAsync<T>(
        IAsyncEnumerable<T> rows, Func<T, object> toLine, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var row in rows.ConfigureAwait(false))
        {
            // Asynchronous writes only: the output may be an HTTP response.
            var line = toLine(row);
            await output.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(line, line.GetType(), FeedbackJson.Options), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
            if (++count % PairReader.PageSize == 0) progress?.Report(count);
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(count);
        return count;
    }

    private static async Task<int> WriteParquetAsync(
        IAsyncEnumerable<PreferencePair> rows, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        // Parquet appends row groups by rewriting the footer, which needs a seekable file: an HTTP response
        // gets the file once it is complete.
        if (!output.CanSeek || !output.CanRead)
        {
            var temp = Path.GetTempFileName();
            await using var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            var written = await WriteParquetAsync(rows, file, progress, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            await file.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }

        var count = 0;
        var group = new List<ParquetPairRow>();
        var first = true;
        async Task FlushGroupAsync()
        {
            await ParquetSerializer.SerializeAsync(group, output, new ParquetOptions { Append = !first }, cancellationToken: cancellationToken).ConfigureAwait(false);
            first = false;
            group.Clear();
            progress?.Report(count);
        }
        await foreach (var pair in rows.ConfigureAwait(false))
        {
            group.Add(ParquetPairRow.Of(pair));
            if (++count % RowGroupSize == 0) await FlushGroupAsync().ConfigureAwait(false);
        }
        if (group.Count > 0 || first) await FlushGroupAsync().ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>TRL DPO "standard" shape: prompt, chosen and rejected as strings, plus the lineage.</summary>
    public sealed record DpoLine(string Prompt, string Chosen, string Rejected, PairMeta Meta)
    {
        public static object Of(PreferencePair p) => new DpoLine(RenderPrompt(p.Prompt), p.Chosen, p.Rejected, PairMeta.Of(p));
    }

    /// <summary>
    /// OpenAI preference fine-tuning: the conversation, then the preferred and the non-preferred assistant turn.
    /// No meta: OpenAI validates the file and the lineage is not part of its format.
    /// </summary>
    public sealed record OpenAiLine(OpenAiInput Input, IReadOnlyList<OpenAiMessage> PreferredOutput, IReadOnlyList<OpenAiMessage> NonPreferredOutput)
    {
        public static object Of(PreferencePair p) => new OpenAiLine(
            new OpenAiInput(p.Prompt.Select(m => new OpenAiMessage(m.Role, m.Content)).ToList()),
            [new OpenAiMessage("assistant", p.Chosen)],
            [new OpenAiMessage("assistant", p.Rejected)]);
    }

    public sealed record OpenAiInput(IReadOnlyList<OpenAiMessage> Messages);

    public sealed record OpenAiMessage(string Role, string Content);

    /// <summary>TRL KTO "standard" unpaired shape: prompt, completion and label, plus the lineage.</summary>
    public sealed record KtoLine(string Prompt, string Completion, bool Label, LabelMeta Meta)
    {
        public static object Of(KtoRow r) => new KtoLine(RenderPrompt(r.Prompt), r.Completion, r.Label, r.Meta);
    }
}

/// <summary>A Parquet row: prompt, chosen, rejected and the meta fields as flat columns.</summary>
public sealed class ParquetPairRow
{
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
    [JsonPropertyName("chosen")] public string Chosen { get; set; } = "";
    [JsonPropertyName("rejected")] public string Rejected { get; set; } = "";
    [JsonPropertyName("pair_id")] public string PairId { get; set; } = "";
    [JsonPropertyName("project")] public string Project { get; set; } = "";
    [JsonPropertyName("source")] public string Source { get; set; } = "";
    [JsonPropertyName("confidence")] public float Confidence { get; set; }
    [JsonPropertyName("turn_id")] public string TurnId { get; set; } = "";
    [JsonPropertyName("source_event_ids")] public List<string> SourceEventIds { get; set; } = [];
    [JsonPropertyName("model")] public string Model { get; set; } = "";
    [JsonPropertyName("model_version")] public string ModelVersion { get; set; } = "";
    [JsonPropertyName("user_id")] public string UserId { get; set; } = "";
    [JsonPropertyName("created_at")] public DateTime CreatedAt { get; set; }

    public static ParquetPairRow Of(PreferencePair p) => new()
    {
        Prompt = PairExport.RenderPrompt(p.Prompt),
        Chosen = p.Chosen,
        Rejected = p.Rejected,
        PairId = p.PairId.ToString(),
        Project = p.Project,
        Source = p.Source,
        Confidence = p.Confidence,
        TurnId = p.TurnId,
        SourceEventIds = p.SourceEventIds.Select(id => id.ToString()).ToList(),
        Model = p.Model,
        ModelVersion = p.ModelVersion,
        UserId = p.UserId,
        CreatedAt = p.CreatedAt.UtcDateTime,
    };
}
