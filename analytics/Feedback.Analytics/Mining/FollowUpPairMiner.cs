using System.Numerics.Tensors;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Model;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Mining;

/// <summary>
/// Pair source 4: the user answered turn A with a correction or a rephrase (the follow-up classifier's label in
/// <c>turn_signals</c>), and the next turn B of the conversation — the answer to the restated request — was
/// approved: chosen = B's answer, rejected = A's, prompt = A's original request. B is approved by a positive
/// reaction (thumbs, emoji, ratings: <c>reaction_polarity</c> above 0), a copy, or a positive follow-up, and not
/// disapproved; A must not have a positive reaction itself.
/// <para>
/// Confidence = <see cref="Confidence"/> × the classifier's probability of A's label, × B's positive label's
/// probability when a thank-you is B's only approval, × <see cref="CopyFactor"/> when a copy is.
/// </para>
/// <para>
/// Incremental, in ClickHouse: only conversations with a turn whose signals were derived since the last run
/// (<see cref="MiningMarks"/>) are ordered (a window over their turns by time finds each turn's next one);
/// A's already mined are left out, unless a person has reviewed A's follow-up since (the pair is then mined again,
/// marked reviewed). A pair of those conversations whose A no longer qualifies (its follow-up or B's approval was
/// relabelled by a review or the app's LLM, or A got a positive reaction) is deleted.
/// </para>
/// <para>
/// Relatedness guard: B must be about the same thing as A. A new, unrelated question misread as a correction would
/// otherwise make its approved answer "better" than A's. B's request (its last user message) or B's answer must be
/// at least <see cref="MinRelatedness"/> similar (sentence embeddings, cosine) to A's request.
/// </para>
/// </summary>
public sealed class FollowUpPairMiner(IClickHouse store, TimeProvider clock, ISentenceEmbedder embedder) : IPairMiner
{
    public string Source => PairSources.FollowUp;

    /// <summary>Trust of a follow-up pair before the classifier's own uncertainty: below regenerate (the user did not ask for the same request again).</summary>
    public const float Confidence = 0.7f;

    /// <summary>A's label must have at least this probability: the classifier's mistakes would otherwise become pairs.</summary>
    public const float MinLabelConfidence = 0.5f;

    /// <summary>
    /// Least cosine similarity of A's request to B's request or answer (docs/mining.md, "Relatedness guard": chosen on
    /// simulator seed 1, measured on the held-out conversations).
    /// </summary>
    public const float MinRelatedness = 0.3f;

    /// <summary>How much a copy alone counts as approval (people also copy to quote or complain).</summary>
    public const float CopyFactor = 0.8f;

    // Two kinds of rows: the A's to mine (retract = 0), and the pairs of touched conversations whose A no longer
    // qualifies (retract = 1): a person or the app's LLM relabelled A's follow-up or B's approval (follow_up_reviews),
    // so the pair rests on a label that is no longer there.
    private const string Changes = """
        WITH
            touched AS MATERIALIZED
            (
                -- Constant bounds, so that the index on derived_at (0027) skips what was mined before.
                SELECT DISTINCT project, conversation_id
                FROM turn_signals
                WHERE derived_at > {lower:DateTime64(3, 'UTC')} AND derived_at <= {upper:DateTime64(3, 'UTC')}
                    AND cityHash64(project) % {shard_count:UInt32} IN {shards:Array(UInt32)}
            ),
            ordered AS MATERIALIZED
            (
                SELECT project, conversation_id, turn_id, follow_up_label, follow_up_confidence, follow_up_source, reaction_polarity,
                    leadInFrame(turn_id) OVER next AS b_turn_id,
                    leadInFrame(reaction_polarity) OVER next AS b_polarity,
                    leadInFrame(copied) OVER next AS b_copied,
                    leadInFrame(follow_up_label) OVER next AS b_label,
                    leadInFrame(ifNull(follow_up_confidence, 0)) OVER next AS b_label_confidence
                -- The conversations' turns: turn_signals is sorted by turn, so their ids come from the events' key
                -- (project, conversation_id, turn_id: 0024). A bloom filter on conversation_id reads nearly every granule
                -- once a run touches a few hundred conversations.
                FROM turn_signals FINAL
                WHERE (project, turn_id) IN (SELECT project, turn_id FROM events WHERE kind = 'turn' AND (project, conversation_id) IN (SELECT * FROM touched))
                    AND (project, conversation_id) IN (SELECT * FROM touched)
                WINDOW next AS (PARTITION BY project, conversation_id ORDER BY turn_timestamp, turn_id ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)
            ),
            found AS MATERIALIZED
            (
                SELECT *,
                    ifNull(follow_up_confidence, 0)
                        * multiIf(b_polarity > 0, 1, b_label = 'positive', b_label_confidence, {copy_factor:Float32}) AS certainty,
                    toUInt8(follow_up_source = 'review') AS reviewed
                FROM ordered
                WHERE follow_up_label IN ('correction', 'rephrase') AND ifNull(follow_up_confidence, 0) >= {min_label_confidence:Float32}
                    AND reaction_polarity <= 0 AND b_turn_id != ''
                    AND b_polarity >= 0 AND (b_polarity > 0 OR b_label = 'positive' OR b_copied = 1)
            )
        SELECT * FROM
        (
            SELECT
                toUInt8(0) AS retract,
                toUUID('00000000-0000-0000-0000-000000000000') AS pair_id,
                f.project AS project,
                f.conversation_id AS conversation_id,
                f.certainty AS certainty,
                f.reviewed AS reviewed,
                a.event_id AS a_turn_event_id,
                a.turn_id AS turn_id,
                a.request AS request,
                a.response AS rejected,
                a.model AS model,
                a.model_version AS model_version,
                a.user_id AS user_id,
                b.event_id AS b_turn_event_id,
                f.b_turn_id AS b_turn_id,
                b.request AS b_request,
                b.response AS chosen
            FROM found AS f
            INNER JOIN (SELECT project, turn_id, event_id, received_at, request, response, model, model_version, user_id FROM events FINAL
                        WHERE kind = 'turn' AND (project, conversation_id, turn_id) IN (SELECT project, conversation_id, turn_id FROM found)) AS a
                ON a.project = f.project AND a.turn_id = f.turn_id
            INNER JOIN (SELECT project, turn_id, event_id, received_at, request, response FROM events FINAL
                        WHERE kind = 'turn' AND (project, conversation_id, turn_id) IN (SELECT project, conversation_id, b_turn_id FROM found)) AS b
                ON b.project = f.project AND b.turn_id = f.b_turn_id
            -- mined already, and reviewed then as now (a pair whose A a person has since reviewed is mined again, marked):
            -- the pairs of these A's only, found by the index on turn_id (0027)
            WHERE (f.project, a.event_id, f.reviewed) NOT IN
                (SELECT project, source_event_ids[1], reviewed FROM pairs
                 WHERE source = {source:String} AND turn_id IN (SELECT turn_id FROM found) AND (project, turn_id) IN (SELECT project, turn_id FROM found))
            ORDER BY f.project, a.event_id, a.received_at, b.received_at
            LIMIT 1 BY f.project, a.event_id
            UNION ALL
            SELECT toUInt8(1), pair_id, project, '', 0, 0, toUUID('00000000-0000-0000-0000-000000000000'), turn_id, [], '', '', '', '', toUUID('00000000-0000-0000-0000-000000000000'), '', [], ''
            FROM pairs
            WHERE source = {source:String}
                AND turn_id IN (SELECT turn_id FROM ordered) AND (project, turn_id) IN (SELECT project, turn_id FROM ordered)
                AND (project, turn_id) NOT IN (SELECT project, turn_id FROM found)
        )
        """;

    /// <summary>The follow-up on A and the first approving event on B, for the lineage.</summary>
    private const string Evidence = """
        SELECT project, turn_id,
            argMinIf(event_id, (timestamp, event_id), kind = 'follow_up') AS follow_up_event_id,
            argMinIf(event_id, (timestamp, event_id), kind IN ('copy', 'follow_up')
                OR (kind = 'reaction' AND (thumb = 'up' OR has({positive:Array(String)}, replaceRegexpAll(emoji, '^\\s+|\\s+$|[\\x{FE0F}\\x{1F3FB}-\\x{1F3FF}]', ''))
                    OR (ifNull(rating_scale, 0) > 0 AND ifNull(rating, 0) >= 0.8 * rating_scale)))) AS approval_event_id
        FROM events -- no FINAL: argMin is the same with a re-delivered copy of an event
        WHERE kind IN ('follow_up', 'copy', 'reaction') AND project IN {projects:Array(String)}
            AND conversation_id IN {conversations:Array(String)} AND turn_id IN {turns:Array(String)}
        GROUP BY project, turn_id
        """;

    public Task<int> MineAsync(CancellationToken cancellationToken = default) => MineAsync(MiningShards.All, cancellationToken);

    /// <summary>Mines the conversations with new signals of the projects of <paramref name="shards"/>.</summary>
    public async Task<int> MineAsync(MiningShards shards, CancellationToken cancellationToken = default)
    {
        var marks = new MiningMarks(store, clock);
        var window = await marks.WindowAsync(Source, shards, cancellationToken).ConfigureAwait(false);
        var changes = await store.QueryAsync<Candidate>(Changes, shards.With(new
        {
            lower = window.Lower,
            upper = window.Upper,
            source = PairSources.FollowUp,
            copy_factor = CopyFactor,
            min_label_confidence = MinLabelConfidence,
        }), cancellationToken).ConfigureAwait(false);
        var candidates = changes.Where(c => c.Retract == 0).ToList();
        // Lightweight DELETE: the rows vanish from every read at once (docs/reviews.md, "Reviews change the data").
        foreach (var chunk in changes.Where(c => c.Retract == 1).Chunk(10_000))
            await store.ExecuteAsync("DELETE FROM pairs WHERE project IN {projects:Array(String)} AND pair_id IN {pairs:Array(UUID)}",
                new { projects = chunk.Select(c => c.Project).Distinct().ToList(), pairs = chunk.Select(c => c.PairId).ToList() }, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var pairs = new List<PreferencePair>(candidates.Count);
        // The evidence is read by the events' key (project, conversation_id, turn_id: 0024), 10,000 A's (20,000 turn ids)
        // a query, in key order: each chunk is a range of conversations, so it reads only the granules that hold them.
        var different = candidates.Where(c => !MiningText.SameIgnoringWhitespace(c.Chosen, c.Rejected))
            .OrderBy(c => c.Project, StringComparer.Ordinal).ThenBy(c => c.ConversationId, StringComparer.Ordinal).ToList();
        foreach (var chunk in different.Where(Related(different)).Chunk(10_000))
        {
            var evidence = (await store.QueryAsync<EvidenceRow>(Evidence, new
            {
                positive = RegeneratePairMiner.PositiveEmoji,
                projects = chunk.Select(c => c.Project).Distinct().ToList(),
                conversations = chunk.Select(c => c.ConversationId).Distinct().ToList(), // A and B are in one conversation
                turns = chunk.SelectMany(c => new[] { c.TurnId, c.BTurnId }).Distinct().ToList(),
            }, cancellationToken).ConfigureAwait(false)).ToDictionary(e => (e.Project, e.TurnId));
            foreach (var c in chunk)
            {
                Guid[] lineage = [c.ATurnEventId, evidence[(c.Project, c.TurnId)].FollowUpEventId, c.BTurnEventId, evidence[(c.Project, c.BTurnId)].ApprovalEventId];
                pairs.Add(PreferencePair.Mined(PairSources.FollowUp, lineage, c.Project, c.Request, c.Chosen, c.Rejected,
                    (float)(Confidence * c.Certainty), c.TurnId, c.Model, c.ModelVersion, c.UserId, now) with
                { Reviewed = c.Reviewed });
            }
        }
        foreach (var chunk in pairs.Chunk(10_000))
            await store.InsertAsync("pairs", chunk, cancellationToken).ConfigureAwait(false);
        await marks.AdvanceAsync(Source, window.Upper, shards, cancellationToken).ConfigureAwait(false);
        return pairs.Count;
    }

    /// <summary>Which candidates pass the relatedness guard: each distinct text embedded once, for the whole run.</summary>
    private Func<Candidate, int, bool> Related(IReadOnlyList<Candidate> candidates)
    {
        var requests = embedder.Embed(candidates.Select(c => MiningText.LastUserMessage(c.Request)).ToList());
        var restated = embedder.Embed(candidates.Select(c => MiningText.LastUserMessage(c.BRequest)).ToList());
        var answers = embedder.Embed(candidates.Select(c => c.Chosen).ToList());
        return (_, i) => Relatedness(requests[i], restated[i], answers[i]) >= MinRelatedness;
    }

    /// <summary>How related B is to A: the larger similarity of A's request to B's request and to B's answer.</summary>
    public static float Relatedness(float[] request, float[] restated, float[] answer) =>
        Math.Max(TensorPrimitives.Dot<float>(request, restated), TensorPrimitives.Dot<float>(request, answer));

    private sealed record Candidate(
        byte Retract, Guid PairId, string Project, string ConversationId, double Certainty, byte Reviewed, Guid ATurnEventId, string TurnId, IReadOnlyList<RequestMessage> Request, string Rejected,
        string Model, string ModelVersion, string UserId, Guid BTurnEventId, string BTurnId, IReadOnlyList<RequestMessage> BRequest, string Chosen);

    private sealed record EvidenceRow(string Project, string TurnId, Guid FollowUpEventId, Guid ApprovalEventId);
}
