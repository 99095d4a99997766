using Feedback.Analytics.Export;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Derives each turn's feedback signals (docs/mining.md, "Signals per turn") into <c>turn_signals</c>.
/// ClickHouse counts and collects a turn's events; C# does the emoji table, edit distance and follow-up label.
/// Incremental: each row keeps the newest <c>received_at</c> of its events; a run re-derives only the turns that
/// have events received after its project's newest such mark, minus <see cref="Lookback"/> for events loaded late.
/// Re-deriving a turn replaces its row, so the overlap is harmless; a turn whose number of events has not changed
/// since its row was written is skipped. A choice event is about every alternative it shows.
/// </summary>
public sealed class TurnSignalsJob(IClickHouse store, TimeProvider clock)
{
    /// <summary>Events received up to this long before the project's mark are looked at again (late loads, clock skew).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromMinutes(10);

    private const string Aggregate = """
        WITH touched AS
        (
            SELECT DISTINCT e.project AS project, about
            FROM (SELECT project, kind, turn_id, alternative_turn_ids, received_at FROM events FINAL) AS e
            LEFT JOIN (SELECT project, max(events_received_at) AS mark FROM turn_signals FINAL GROUP BY project) AS m
                ON m.project = e.project
            ARRAY JOIN arrayDistinct(arrayConcat([e.turn_id], if(e.kind = 'choice', e.alternative_turn_ids, []))) AS about
            WHERE e.received_at > ifNull(m.mark, toDateTime64(0, 3, 'UTC')) - toIntervalSecond({lookback_seconds:UInt32}) -- NULL if join_use_nulls
        )
        SELECT
            project,
            about AS turn_id,
            anyIf(conversation_id, kind = 'turn') AS conversation_id,
            anyIf(user_id, kind = 'turn') AS user_id,
            anyIf(model, kind = 'turn') AS model,
            anyIf(model_version, kind = 'turn') AS model_version,
            minIf(timestamp, kind = 'turn') AS turn_timestamp,
            anyIf(prompt_template, kind = 'turn') AS prompt_template,
            anyIf(stage, kind = 'turn') AS stage,
            anyIf(metadata, kind = 'turn') AS metadata,
            -- The texts only travel when C# needs them: the classifier (follow-ups) and the edit rules (edits).
            if(countIf(kind = 'follow_up') > 0, anyIf(request, kind = 'turn'), []) AS request,
            if(countIf(kind IN ('follow_up', 'edit')) > 0, anyIf(response, kind = 'turn'), '') AS response,
            countIf(kind = 'reaction' AND thumb = 'up') AS thumbs_up,
            countIf(kind = 'reaction' AND thumb = 'down') AS thumbs_down,
            groupArrayIf(emoji, kind = 'reaction' AND emoji != '') AS emojis,
            countIf(kind = 'reaction' AND rating IS NOT NULL AND rating_scale > 0) AS ratings,
            sumIf(ifNull(rating, 0) / ifNull(rating_scale, 1), kind = 'reaction' AND rating IS NOT NULL AND rating_scale > 0) AS rating_sum,
            groupArrayIf(edited_response, kind = 'edit') AS edits,
            countIf(kind = 'regenerate') AS regenerates,
            countIf(kind = 'choice' AND chosen_turn_id = about) AS chosen,
            countIf(kind = 'choice' AND chosen_turn_id != about AND has(alternative_turn_ids, about)) AS not_chosen,
            countIf(kind = 'copy') AS copies,
            countIf(kind = 'follow_up') AS follow_ups,
            argMinIf(message, timestamp, kind = 'follow_up') AS follow_up,
            count() AS event_count,
            max(received_at) AS events_received_at
        FROM events FINAL
        ARRAY JOIN arrayDistinct(arrayConcat([turn_id], if(kind = 'choice', alternative_turn_ids, []))) AS about
        WHERE (project, about) IN (SELECT project, about FROM touched)
        GROUP BY project, about
        HAVING countIf(kind = 'turn') > 0
            AND (project, turn_id, event_count) NOT IN (SELECT project, turn_id, event_count FROM turn_signals FINAL)
        ORDER BY project, about
        """;

    private readonly Lock classifying = new(); // the classifier is not thread-safe
    private FollowUpClassifier? classifier;

    /// <summary>Re-derives the turns with new events; returns how many turns were written.</summary>
    public async Task<int> DeriveAsync(CancellationToken cancellationToken = default)
    {
        var turns = await store.QueryAsync<TurnEvents>(Aggregate, new { lookback_seconds = (uint)Lookback.TotalSeconds }, cancellationToken)
            .ConfigureAwait(false);
        if (turns.Count == 0) return 0;
        var now = clock.GetUtcNow();
        List<TurnSignals> rows;
        lock (classifying)
        {
            classifier ??= FollowUpClassifier.LoadShipped();
            // One batch over every core: at scale the classifier is the most expensive step of a mining run.
            var withFollowUp = turns.Where(t => t.FollowUps > 0).ToList();
            var labels = withFollowUp
                .Zip(classifier.ClassifyAll(withFollowUp.Select(t => new FollowUp(PairExport.RenderPrompt(t.Request), t.Response, t.FollowUp)).ToList()))
                .ToDictionary(p => (p.First.Project, p.First.TurnId), p => p.Second);
            rows = turns.Select(t => Derive(t, labels.GetValueOrDefault((t.Project, t.TurnId)), now)).ToList();
        }
        foreach (var chunk in rows.Chunk(50_000))
            await store.InsertAsync("turn_signals", chunk, cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    private static TurnSignals Derive(TurnEvents t, FollowUpPrediction? followUp, DateTimeOffset now)
    {
        var emojiPolarities = t.Emojis.Select(TurnSignalRules.EmojiPolarity).ToList();
        double? rating = t.Ratings > 0 ? t.RatingSum / t.Ratings : null;
        var reactionScore = t.ThumbsUp - t.ThumbsDown + emojiPolarities.Sum()
            + (rating is { } r ? TurnSignalRules.RatingPolarity(r) * t.Ratings : 0);
        var realEdits = t.Edits.Where(e => TurnSignalRules.IsRealEdit(t.Response, e)).ToList();
        return new TurnSignals(
            t.Project, t.TurnId, t.ConversationId, t.UserId, t.Model, t.ModelVersion, t.TurnTimestamp,
            ReactionPolarity: (sbyte)Math.Sign(reactionScore),
            t.ThumbsUp, t.ThumbsDown,
            EmojiPolarity: (sbyte)Math.Sign(emojiPolarities.Sum()),
            RatingNormalized: rating,
            Edited: (byte)(realEdits.Count > 0 ? 1 : 0),
            EditDistanceRatio: realEdits.Count > 0 ? realEdits.Max(e => TurnSignalRules.EditDistanceRatio(t.Response, e)) : null,
            Regenerated: (byte)(t.Regenerates > 0 ? 1 : 0),
            t.Chosen, t.NotChosen,
            Copied: (byte)(t.Copies > 0 ? 1 : 0),
            FollowUpLabel: followUp?.Label ?? "",
            FollowUpConfidence: followUp?.Confidence,
            t.EventCount, t.EventsReceivedAt, DerivedAt: now)
        {
            PromptTemplate = t.PromptTemplate,
            Stage = t.Stage,
            Metadata = new MetadataMap(t.Metadata),
        };
    }

    private sealed record TurnEvents(
        string Project, string TurnId, string ConversationId, string UserId, string Model, string ModelVersion,
        DateTimeOffset TurnTimestamp, IReadOnlyList<RequestMessage> Request, string Response,
        long ThumbsUp, long ThumbsDown, IReadOnlyList<string> Emojis, long Ratings, double RatingSum,
        IReadOnlyList<string> Edits, long Regenerates, long Chosen, long NotChosen, long Copies,
        long FollowUps, string FollowUp, long EventCount, DateTimeOffset EventsReceivedAt)
    {
        public string PromptTemplate { get; init; } = "";
        public string Stage { get; init; } = "";
        public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    }
}

/// <summary>One row of <c>turn_signals</c>.</summary>
public sealed record TurnSignals(
    string Project, string TurnId, string ConversationId, string UserId, string Model, string ModelVersion,
    DateTimeOffset TurnTimestamp, sbyte ReactionPolarity, long ThumbsUp, long ThumbsDown, sbyte EmojiPolarity,
    double? RatingNormalized, byte Edited, double? EditDistanceRatio, byte Regenerated, long Chosen, long NotChosen,
    byte Copied, string FollowUpLabel, float? FollowUpConfidence, long EventCount, DateTimeOffset EventsReceivedAt, DateTimeOffset DerivedAt)
{
    /// <summary>The turn's breakdowns for trends (migration 0013); outside the constructor so existing callers stay as they are.</summary>
    public string PromptTemplate { get; init; } = "";

    public string Stage { get; init; } = "";

    public MetadataMap Metadata { get; init; } = [];
}

/// <summary>A turn's metadata, equal to another with the same entries (so rows compare by value, as records do).</summary>
public sealed class MetadataMap : Dictionary<string, string>
{
    public MetadataMap()
    {
    }

    public MetadataMap(IReadOnlyDictionary<string, string> entries)
        : base(entries)
    {
    }

    public override bool Equals(object? obj) =>
        obj is MetadataMap other && Count == other.Count && this.All(kv => other.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => this.Aggregate(Count, (hash, kv) => hash ^ HashCode.Combine(kv.Key, kv.Value));
}
