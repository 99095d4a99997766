using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Feedback.Analytics.Reviews;
using Feedback.Cli.Backends;

namespace Feedback.Cli.Reviews;

/// <summary>
/// <c>feedback review --export</c> and <c>--import</c> (docs/reviews.md): the queue as JSON Lines with an empty
/// <c>label</c> for teams that label elsewhere, and their labels back, each line checked on its own.
/// </summary>
public static class ReviewFiles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A file people read and edit: keep quotes and accents as they are. Field names as over HTTP (/v1/reviews).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Writes the first <paramref name="limit"/> follow-ups of the queue to <paramref name="path"/>, one per line.</summary>
    public static async Task<int> ExportAsync(IReviews reviews, string project, int limit, string path, TextWriter output, CancellationToken cancellationToken)
    {
        var page = await reviews.ReadQueueAsync(project, limit, cancellationToken);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
        await using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            foreach (var item in page.Items)
            {
                var line = new ExportLine(item.EventId, item.ConversationId, item.TurnId, item.Request, item.Response, item.FollowUp,
                    item.ProposedLabel, item.Confidence, item.ProposedBy, item.Disagreement, Label: "");
                await writer.WriteLineAsync(JsonSerializer.Serialize(line, Json).AsMemory(), cancellationToken);
            }
        }
        await output.WriteLineAsync(
            $"Wrote {page.Items.Count} of the {page.Pending} follow-ups waiting for review in project '{project}' to {path}. " +
            $"Fill in each \"label\" and run: feedback review --project {project} --import {path}");
        return 0;
    }

    /// <summary>
    /// Submits the labels of <paramref name="path"/> (event_id and label per line; other fields ignored, lines with an
    /// empty label left out) and reports each refused line with its number: 0, or 1 when any line was refused.
    /// </summary>
    public static async Task<int> ImportAsync(
        IReviews reviews, string project, string reviewer, string path, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await errors.WriteLineAsync($"no such file: {path}");
            return 2;
        }
        var refused = new List<(int Line, string Reason)>();
        var parsed = new List<(int Line, FollowUpReview Review)>();
        var unlabelled = 0;
        var number = 0;
        foreach (var text in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            switch (Parse(text))
            {
                case { Error: { } error }:
                    refused.Add((number, error));
                    break;
                case { Review: null }:
                    unlabelled++;
                    break;
                case { Review: { } review }:
                    parsed.Add((number, review));
                    break;
            }
        }

        var stored = 0;
        foreach (var batch in parsed.Chunk(ReviewStore.MaxBatch))
        {
            var outcome = await reviews.SubmitAsync(project, reviewer, [.. batch.Select(b => b.Review)], cancellationToken);
            stored += outcome.Stored;
            // A refusal names its event: give it the line it came from (an event twice in a file: its lines in order).
            var lines = batch.GroupBy(b => b.Review.EventId).ToDictionary(g => g.Key, g => new Queue<int>(g.Select(b => b.Line)));
            foreach (var rejected in outcome.Rejected)
                refused.Add((lines[rejected.EventId].Dequeue(), rejected.Reason));
        }

        await output.WriteLineAsync(
            $"Stored {stored} reviews of project '{project}' by {reviewer}; rejected {refused.Count} lines" +
            (unlabelled > 0 ? $"; left out {unlabelled} lines without a label." : ".") +
            (stored > 0 ? " The next mining run applies them." : ""));
        foreach (var (line, reason) in refused.OrderBy(r => r.Line))
            await errors.WriteLineAsync($"line {line}: {reason}");
        return refused.Count > 0 ? 1 : 0;
    }

    private static (FollowUpReview? Review, string? Error) Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return (null, "malformed line: not JSON");
        }
        using (document) return Read(document.RootElement);
    }

    private static (FollowUpReview? Review, string? Error) Read(JsonElement line)
    {
        if (line.ValueKind != JsonValueKind.Object) return (null, "malformed line: not a JSON object");
        if (!line.TryGetProperty("event_id", out var id) || id.ValueKind != JsonValueKind.String || !Guid.TryParse(id.GetString(), out var eventId))
            return (null, "malformed line: no \"event_id\" (the follow-up's event id, as exported)");
        if (!line.TryGetProperty("label", out var label) || label.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            return (null, "malformed line: no \"label\" string");
        var value = label.GetString()?.Trim().ToLowerInvariant() ?? "";
        return (value.Length == 0 ? null : new FollowUpReview(eventId, value), null);
    }

    private sealed record ExportLine(
        Guid EventId, string ConversationId, string TurnId, string Request, string Response, string FollowUp,
        string ProposedLabel, float Confidence, string ProposedBy, string? Disagreement, string Label);
}
