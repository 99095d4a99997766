using System.Text.Json;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Export;

/// <summary>
/// Writes pairs as JSON Lines in TRL's DPO "standard" shape: {"prompt", "chosen", "rejected"} strings plus a
/// "meta" object with the lineage. A one-message request becomes its text; a longer conversation is rendered
/// as "role: content" blocks (docs/export.md).
/// </summary>
public sealed class DpoExport(IClickHouse store)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private const string Pairs = """
        SELECT * FROM pairs FINAL
        WHERE project = {project:String}
        ORDER BY created_at, pair_id
        """;

    /// <summary>Writes every pair of the project; returns how many.</summary>
    public async Task<int> WriteAsync(string project, Stream output, CancellationToken cancellationToken = default)
    {
        var pairs = await store.QueryAsync<PreferencePair>(Pairs, new { project }, cancellationToken).ConfigureAwait(false);
        foreach (var pair in pairs)
        {
            // Asynchronous writes only: the output may be an HTTP response.
            await output.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(ToLine(pair), FeedbackJson.Options), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return pairs.Count;
    }

    public static string RenderPrompt(IReadOnlyList<RequestMessage> request) =>
        request.Count == 1 ? request[0].Content : string.Join("\n\n", request.Select(m => $"{m.Role}: {m.Content}"));

    private static DpoLine ToLine(PreferencePair p) => new(
        RenderPrompt(p.Prompt), p.Chosen, p.Rejected,
        new DpoMeta(p.PairId, p.Project, p.Source, p.Confidence, p.TurnId, p.SourceEventIds, p.Model, p.ModelVersion, p.UserId, p.CreatedAt));

    public sealed record DpoLine(string Prompt, string Chosen, string Rejected, DpoMeta Meta);

    public sealed record DpoMeta(
        Guid PairId, string Project, string Source, float Confidence, string TurnId, IReadOnlyList<Guid> SourceEventIds,
        string Model, string ModelVersion, string UserId, DateTimeOffset CreatedAt);
}
