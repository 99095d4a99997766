using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Pair source 5: the same normalised request answered differently, one answer approved and another disapproved,
/// by the same user or by different ones. Reactions (thumbs, emoji) are compared only with reactions and ratings only
/// with ratings; ratings-derived pairs get their own source (<see cref="PairSources.SameRequestRating"/>), so
/// they never mix silently with comparison-derived ones.
/// <para>
/// Per request the answers are grouped by text (ignoring whitespace) and each text's judgements are summed: the
/// chosen answer is the text with the highest positive sum (ties: the one seen first), its earliest approved
/// turn standing for it; every turn with a negative judgement whose text sums negative is rejected against it,
/// once. So a lone random reaction cannot make a well-liked answer "rejected".
/// </para>
/// <para>
/// Incremental, all in ClickHouse: turns whose signals were derived since the last run are added to
/// <c>judged_answers</c> (keyed by the normalised request), then only the requests those turns belong to are
/// grouped (<see cref="MiningMarks"/>).
/// </para>
/// </summary>
public sealed class SameRequestPairMiner(IClickHouse store, TimeProvider clock) : IPairMiner
{
    public string Source => PairSources.SameRequest;

    /// <summary>Trust when every judgement of both answers agrees: different users and contexts, the weakest source.</summary>
    public const float Confidence = 0.6f;

    /// <summary>A rating at least this share of its scale approves, at most <see cref="RatingNegative"/> disapproves.</summary>
    public const double RatingPositive = 0.8, RatingNegative = 0.4;

    /// <summary>
    /// The request key: per message its role and its content in lower case, with every run of punctuation and
    /// whitespace (Unicode classes P, Z and \s) made one space and trimmed; messages joined by a newline; hashed.
    /// The response key: the text without whitespace, hashed.
    /// </summary>
    private const string Judge = """
        INSERT INTO judged_answers (project, request_key, evidence, turn_id, turn_event_id, response_key, polarity, turn_timestamp, derived_at)
        WITH judged AS MATERIALIZED
        (
            SELECT s.*, arrayJoin(arrayFilter(j -> j.3, [
                ('reaction', toInt8(sign(toInt64(s.thumbs_up) - toInt64(s.thumbs_down) + s.emoji_polarity)), s.thumbs_up + s.thumbs_down > 0 OR s.emoji_polarity != 0),
                ('rating', toInt8(multiIf(ifNull(s.rating_normalized, 0.5) >= {rating_positive:Float64}, 1, ifNull(s.rating_normalized, 0.5) <= {rating_negative:Float64}, -1, 0)), s.rating_normalized IS NOT NULL)
            ])) AS judgement
            FROM
            (
                -- FINAL over the turns derived since the mark only, found by the table's key (project, turn_id): FINAL
                -- over the whole table costs every turn's row. Constant bounds, so that the index on derived_at (0027)
                -- skips what was mined before.
                SELECT * FROM turn_signals FINAL
                WHERE (project, turn_id) IN
                (
                    SELECT project, turn_id
                    FROM turn_signals
                    WHERE derived_at > {lower:DateTime64(3, 'UTC')} AND derived_at <= {upper:DateTime64(3, 'UTC')}
                        AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
                )
            ) AS s
            WHERE s.derived_at > {lower:DateTime64(3, 'UTC')} AND s.derived_at <= {upper:DateTime64(3, 'UTC')}
        )
        SELECT
            s.project,
            cityHash64(arrayStringConcat(arrayMap(m -> concat(m.1, ': ', trimBoth(replaceRegexpAll(lowerUTF8(m.2), '[\\p{P}\\p{Z}\\s]+', ' '))), t.request), '\n')),
            judgement.1,
            s.turn_id,
            t.event_id,
            cityHash64(replaceRegexpAll(t.response, '[\\p{Z}\\s]+', '')),
            judgement.2,
            s.turn_timestamp,
            s.derived_at
        FROM judged AS s
        INNER JOIN
        (
            -- Only the judged turns' texts are read and joined.
            SELECT project, turn_id, event_id, request, response FROM events FINAL
            WHERE kind = 'turn' AND (project, conversation_id, turn_id) IN (SELECT project, conversation_id, turn_id FROM judged)
        ) AS t
            ON t.project = s.project AND t.turn_id = s.turn_id
""";

    private const string Candidates = """
        WITH
            touched AS
            (
                -- Constant bounds, so that the index on derived_at (0027) skips what was mined before.
                SELECT DISTINCT project, request_key, evidence
                FROM judged_answers
                WHERE derived_at > {lower:DateTime64(3, 'UTC')} AND derived_at <= {upper:DateTime64(3, 'UTC')}
                    AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
            ),
            answers AS MATERIALIZED
            (
                SELECT * FROM judged_answers FINAL WHERE (project, request_key, evidence) IN (SELECT * FROM touched)
            ),
            texts AS MATERIALIZED
            (
                SELECT project, request_key, evidence, response_key,
                    sum(polarity) AS net, countIf(polarity > 0) AS positive, countIf(polarity < 0) AS negative, count() AS judged,
                    min(turn_timestamp) AS first_seen,
                    argMinIf((turn_event_id, turn_id), (turn_timestamp, turn_id), polarity > 0) AS approved_turn
                FROM answers
                GROUP BY project, request_key, evidence, response_key
            ),
            best AS
            (
                SELECT project, request_key, evidence,
                    argMax((response_key, approved_turn, positive / judged), (net, -toUnixTimestamp64Milli(first_seen))) AS chosen
                FROM texts
                WHERE net > 0
                GROUP BY project, request_key, evidence
            ),
            found AS MATERIALIZED
            (
                SELECT
                    a.project AS project,
                    a.evidence AS evidence,
                    a.turn_event_id AS rejected_turn_event_id,
                    a.turn_id AS rejected_turn_id,
                    b.chosen.2.1 AS chosen_turn_event_id,
                    b.chosen.2.2 AS chosen_turn_id,
                    b.chosen.3 * (r.negative / r.judged) AS agreement
                FROM answers AS a
                INNER JOIN best AS b ON b.project = a.project AND b.request_key = a.request_key AND b.evidence = a.evidence
                INNER JOIN texts AS r ON r.project = a.project AND r.request_key = a.request_key AND r.evidence = a.evidence AND r.response_key = a.response_key
                WHERE a.polarity < 0 AND r.net < 0 AND a.response_key != b.chosen.1
            ),
            conversations AS MATERIALIZED
            (
                -- Each turn's conversation, so that the texts are read by the events' key (project, conversation_id, turn_id: 0024).
                SELECT project, turn_id, any(conversation_id) AS conversation_id
                FROM turn_signals
                WHERE (project, turn_id) IN (SELECT project, rejected_turn_id FROM found UNION ALL SELECT project, chosen_turn_id FROM found)
                GROUP BY project, turn_id
            )
        SELECT f.project AS project, f.evidence AS evidence, f.rejected_turn_event_id AS rejected_turn_event_id, f.rejected_turn_id AS rejected_turn_id,
            f.chosen_turn_event_id AS chosen_turn_event_id, f.chosen_turn_id AS chosen_turn_id, f.agreement AS agreement,
            rc.conversation_id AS rejected_conversation_id, cc.conversation_id AS chosen_conversation_id
        FROM found AS f
        INNER JOIN conversations AS rc ON rc.project = f.project AND rc.turn_id = f.rejected_turn_id
        INNER JOIN conversations AS cc ON cc.project = f.project AND cc.turn_id = f.chosen_turn_id
        -- not paired already (a pair's first source event is its rejected turn's): the pairs of these turns only, found by
        -- the index on pairs.turn_id (0027)
        WHERE (f.project, f.rejected_turn_event_id) NOT IN
            (SELECT project, source_event_ids[1] FROM pairs
             WHERE source IN ({same_request:String}, {same_request_rating:String})
                AND turn_id IN (SELECT rejected_turn_id FROM found) AND (project, turn_id) IN (SELECT project, rejected_turn_id FROM found))
        """;

    // By the events' key (project, conversation_id, turn_id: 0024); a chunk is a range of conversations, so it reads only
    // the granules that hold them.
    private const string Texts = """
        SELECT project, event_id, turn_id, request, response, model, model_version, user_id
        FROM events FINAL
        WHERE kind = 'turn' AND project IN {projects:Array(String)} AND conversation_id IN {conversations:Array(String)}
            AND turn_id IN {turns:Array(String)} AND event_id IN {ids:Array(UUID)}
        """;

    public Task<int> MineAsync(CancellationToken cancellationToken = default) => MineAsync(MiningShards.All, cancellationToken);

    /// <summary>Mines the requests with new judgements of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> MineAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var marks = new MiningMarks(store, clock);
        var window = await marks.WindowAsync(Source, shards, cancellationToken).ConfigureAwait(false);
        var parameters = shards.With(new
        {
            lower = window.Lower,
            upper = window.Upper,
            rating_positive = RatingPositive,
            rating_negative = RatingNegative,
            same_request = PairSources.SameRequest,
            same_request_rating = PairSources.SameRequestRating,
        });
        await store.ExecuteAsync(Judge, parameters, cancellationToken).ConfigureAwait(false);
        var candidates = await store.QueryAsync<Candidate>(Candidates, parameters, cancellationToken).ConfigureAwait(false);
        var pairs = new List<PreferencePair>(candidates.Count);
        var now = clock.GetUtcNow();
        // The texts, 10,000 turns a query, in the events' key order: each chunk's turns lie in a few granules.
        var turns = new Dictionary<(string, Guid), TurnText>();
        foreach (var chunk in candidates
            .SelectMany(c => new[]
            {
                (c.Project, Conversation: c.RejectedConversationId, Turn: c.RejectedTurnId, Id: c.RejectedTurnEventId),
                (c.Project, Conversation: c.ChosenConversationId, Turn: c.ChosenTurnId, Id: c.ChosenTurnEventId),
            })
            .Distinct().OrderBy(t => t.Project, StringComparer.Ordinal).ThenBy(t => t.Conversation, StringComparer.Ordinal).Chunk(10_000))
        {
            var found = await store.QueryAsync<TurnText>(Texts, new
            {
                projects = chunk.Select(t => t.Project).Distinct().ToList(),
                conversations = chunk.Select(t => t.Conversation).Distinct().ToList(),
                turns = chunk.Select(t => t.Turn).Distinct().ToList(),
                ids = chunk.Select(t => t.Id).ToList(),
            }, cancellationToken).ConfigureAwait(false);
            foreach (var text in found)
                turns[(text.Project, text.EventId)] = text;
        }
        foreach (var c in candidates)
        {
            if (!turns.TryGetValue((c.Project, c.RejectedTurnEventId), out var rejected) || !turns.TryGetValue((c.Project, c.ChosenTurnEventId), out var chosen))
                continue;
            Guid[] lineage = [c.RejectedTurnEventId, c.ChosenTurnEventId];
            var source = c.Evidence == "rating" ? PairSources.SameRequestRating : PairSources.SameRequest;
            pairs.Add(PreferencePair.Mined(source, lineage, c.Project, rejected.Request, chosen: chosen.Response, rejected: rejected.Response,
                (float)(Confidence * c.Agreement), rejected.TurnId, rejected.Model, rejected.ModelVersion, rejected.UserId, now));
        }
        foreach (var chunk in pairs.Chunk(10_000))
            await store.InsertAsync("pairs", chunk, cancellationToken).ConfigureAwait(false);
        await marks.AdvanceAsync(Source, window.Upper, shards, cancellationToken).ConfigureAwait(false);
        return pairs.Count;
    }

    private sealed record Candidate(
        string Project, string Evidence, Guid RejectedTurnEventId, string RejectedTurnId, Guid ChosenTurnEventId, string ChosenTurnId, double Agreement,
        string RejectedConversationId, string ChosenConversationId);

    private sealed record TurnText(
        string Project, Guid EventId, string TurnId, IReadOnlyList<RequestMessage> Request, string Response, string Model, string ModelVersion, string UserId);
}
