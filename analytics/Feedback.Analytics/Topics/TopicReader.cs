using Feedback.Analytics.Store;

namespace Feedback.Analytics.Topics;

/// <summary>
/// The topics of a project's negative turns in a time range, for <c>GET /v1/topics</c> and <c>feedback topics</c>
/// (docs/read-api.md): the largest first, each with its size in the range, a count per interval over the whole
/// range (zeros included, so sparklines line up) and the example turns nearest its centre.
/// </summary>
public sealed class TopicReader(IClickHouse store)
{
    private const string Current = "SELECT max(fit) AS current FROM topic_models WHERE project = {project:String}";

    // The statements below read the project's assignments of the current fit in the range (from inclusive, to exclusive).
    private const string Sizes = """
        SELECT topic_id, count() AS size
        FROM topic_assignments FINAL
        WHERE project = {project:String} AND fit = {fit:UInt32}
            AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
        GROUP BY topic_id
        ORDER BY size DESC, topic_id
        LIMIT {limit:UInt32}
        """;

    private const string Labels = """
        SELECT topic_id, label, terms FROM topics FINAL
        WHERE project = {project:String} AND topic_id IN {topics:Array(UInt32)}
        """;

    // Buckets as the trends make them (TurnCountQuery).
    private const string Trend = """
        SELECT topic_id,
            multiIf({interval:String} = 'hour', toDateTime64(toStartOfHour(turn_timestamp), 3, 'UTC'),
                {interval:String} = 'day', toDateTime64(toStartOfDay(turn_timestamp), 3, 'UTC'),
                toDateTime64(toMonday(turn_timestamp), 3, 'UTC')) AS time,
            count() AS count
        FROM topic_assignments FINAL
        WHERE project = {project:String} AND fit = {fit:UInt32}
            AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
            AND topic_id IN {topics:Array(UInt32)}
        GROUP BY topic_id, time
        """;

    private const string Nearest = """
        SELECT topic_id, turn_id, conversation_id
        FROM topic_assignments FINAL
        WHERE project = {project:String} AND fit = {fit:UInt32}
            AND turn_timestamp >= {from:DateTime64(3, 'UTC')} AND turn_timestamp < {to:DateTime64(3, 'UTC')}
            AND topic_id IN {topics:Array(UInt32)}
        ORDER BY topic_id, distance, turn_id
        LIMIT 3 BY topic_id
        """;

    public async Task<TopicsView> ReadAsync(string project, TopicQuery query, CancellationToken cancellationToken = default)
    {
        var fit = (await store.QueryAsync<CurrentFit>(Current, new { project }, cancellationToken).ConfigureAwait(false)).Single().Current;
        if (fit == 0) return new TopicsView([]);
        var sizes = await store.QueryAsync<SizeRow>(Sizes, new { project, fit, from = query.From, to = query.To, limit = (uint)query.Limit }, cancellationToken)
            .ConfigureAwait(false);
        if (sizes.Count == 0) return new TopicsView([]);
        var ids = sizes.Select(s => s.TopicId).ToList();
        var parameters = new { project, fit, from = query.From, to = query.To, topics = ids, interval = query.Interval.Name };
        var labels = (await store.QueryAsync<LabelRow>(Labels, new { project, topics = ids }, cancellationToken).ConfigureAwait(false))
            .ToDictionary(l => l.TopicId);
        var counts = (await store.QueryAsync<TrendRow>(Trend, parameters, cancellationToken)
            .ConfigureAwait(false)).ToDictionary(t => (t.TopicId, t.Time.UtcDateTime), t => t.Count);
        var nearest = await store.QueryAsync<ExampleRow>(Nearest, parameters, cancellationToken).ConfigureAwait(false);
        var texts = await new NegativeTurns(store).TextsAsync(project, nearest.Select(e => e.TurnId).ToList(), cancellationToken).ConfigureAwait(false);
        var buckets = query.Interval.Buckets(query.From, query.To).ToList();

        return new TopicsView(sizes.Select(s =>
        {
            var label = labels.GetValueOrDefault(s.TopicId);
            return new TopicView(
                TopicIds.Format(s.TopicId), label?.Label ?? "", label?.Terms ?? [], s.Size,
                buckets.Select(b => new TopicTrendPoint(b, counts.GetValueOrDefault((s.TopicId, b)))).ToList(),
                nearest.Where(e => e.TopicId == s.TopicId).Select(e =>
                {
                    var text = texts.GetValueOrDefault(e.TurnId, TurnText.Empty);
                    return new TopicExample(e.ConversationId, e.TurnId, text.Request, text.Feedback);
                }).ToList());
        }).ToList());
    }

    private sealed record CurrentFit(uint Current);

    private sealed record SizeRow(uint TopicId, long Size);

    private sealed record LabelRow(uint TopicId, string Label, IReadOnlyList<string> Terms);

    private sealed record TrendRow(uint TopicId, DateTimeOffset Time, long Count);

    private sealed record ExampleRow(uint TopicId, string TurnId, string ConversationId);
}
