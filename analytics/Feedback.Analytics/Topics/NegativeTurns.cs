using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Analytics.Topics;

/// <summary>
/// The turns topics are made of, read in batches: a turn is negative when its reactions net negative (thumbs
/// down, a negative emoji, a low rating), its follow-up is a complaint, correction or rephrase, or its response
/// was heavily edited (<see cref="HeavyEdit"/>). Its text is the user's last request message plus the user's
/// own words about the answer: the follow-up, reaction comments, and the words an edit put in.
/// </summary>
public sealed class NegativeTurns(IClickHouse store)
{
    /// <summary>An edit that changed at least this share of the response (edit distance ratio) is negative feedback.</summary>
    public const double HeavyEdit = 0.3;

    // A negative turn, as Counts says it too: the trends' negative (is_negative) or a heavy edit.
    private const string Batch = """
        SELECT turn_id, conversation_id, turn_timestamp
        FROM turn_signals FINAL
        WHERE project = {project:String} AND turn_id > {after:String}
            AND (is_negative OR (edited = 1 AND ifNull(edit_distance_ratio, 0) >= {heavy_edit:Float64}))
            AND ({unassigned_of_fit:UInt32} = 0 OR turn_id NOT IN
                (SELECT turn_id FROM topic_assignments FINAL WHERE project = {project:String} AND fit = {unassigned_of_fit:UInt32}))
        ORDER BY turn_id
        LIMIT {batch:UInt32}
        """;

    private const string Texts = """
        SELECT
            turn_id,
            anyIf(request, kind = 'turn') AS request,
            anyIf(response, kind = 'turn') AS response,
            argMinIf(message, timestamp, kind = 'follow_up') AS follow_up,
            groupArrayIf(comment, kind = 'reaction' AND comment != '') AS comments,
            groupArrayIf(edited_response, kind = 'edit') AS edits
        FROM events FINAL
        WHERE project = {project:String} AND turn_id IN {turns:Array(String)}
        GROUP BY turn_id
        """;

    private const string Counts = """
        SELECT project, countIf(is_negative OR (edited = 1 AND ifNull(edit_distance_ratio, 0) >= {heavy_edit:Float64})) AS negative
        FROM turn_signals FINAL
        GROUP BY project
        HAVING negative > 0
        """;

    /// <summary>
    /// Every negative turn of <paramref name="project"/> with its text, in batches of <paramref name="batchSize"/>
    /// turns (ordered by turn id); with <paramref name="unassignedOfFit"/> &gt; 0 only those without an assignment of that fit.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<NegativeTurn>> ReadAsync(
        string project, int batchSize, uint unassignedOfFit = 0,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = "";
        while (true)
        {
            var turns = await store.QueryAsync<TurnRow>(Batch,
                new { project, after, heavy_edit = HeavyEdit, unassigned_of_fit = unassignedOfFit, batch = (uint)batchSize }, cancellationToken)
                .ConfigureAwait(false);
            if (turns.Count == 0) yield break;
            var texts = await TextsAsync(project, turns.Select(t => t.TurnId).ToList(), cancellationToken).ConfigureAwait(false);
            yield return turns.Select(t =>
            {
                var text = texts.GetValueOrDefault(t.TurnId, TurnText.Empty);
                return new NegativeTurn(t.TurnId, t.ConversationId, t.TurnTimestamp, text.Request, text.Feedback, text.Response);
            }).ToList();
            if (turns.Count < batchSize) yield break;
            after = turns[^1].TurnId;
        }
    }

    /// <summary>The request and the user's words of each of these turns.</summary>
    public async Task<IReadOnlyDictionary<string, TurnText>> TextsAsync(string project, IReadOnlyList<string> turnIds, CancellationToken cancellationToken = default)
    {
        if (turnIds.Count == 0) return new Dictionary<string, TurnText>();
        var rows = await store.QueryAsync<TextRow>(Texts, new { project, turns = turnIds }, cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.TurnId, r => r.ToText());
    }

    /// <summary>How many negative turns each project has (projects without any are left out).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountAsync(CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<CountRow>(Counts, new { heavy_edit = HeavyEdit }, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Project, r => r.Negative);

    private sealed record TurnRow(string TurnId, string ConversationId, DateTimeOffset TurnTimestamp);

    private sealed record CountRow(string Project, long Negative);

    private sealed record TextRow(
        string TurnId, IReadOnlyList<RequestMessage> Request, string Response, string FollowUp,
        IReadOnlyList<string> Comments, IReadOnlyList<string> Edits)
    {
        public TurnText ToText()
        {
            var request = Request.LastOrDefault(m => m.Role == "user")?.Content ?? (Request.Count > 0 ? Request[^1].Content : "");
            var words = new List<string>();
            if (FollowUp.Length > 0) words.Add(FollowUp);
            words.AddRange(Comments);
            words.AddRange(Edits.Where(e => TurnSignalRules.IsRealEdit(Response, e)).Select(e => AddedWords(Response, e)).Where(w => w.Length > 0));
            return new TurnText(request, string.Join(" / ", words), Response);
        }
    }

    // What an edit says about the answer is in the words it put in, not in the words it kept.
    private static string AddedWords(string response, string edited)
    {
        var kept = Words(response).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return string.Join(' ', Words(edited).Where(w => !kept.Contains(w)));
    }

    private static IEnumerable<string> Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('.', ',', ';', ':', '!', '?', '"', '\'', '(', ')'))
            .Where(w => w.Length > 0);
}
