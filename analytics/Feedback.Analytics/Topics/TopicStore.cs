using Feedback.Analytics.Store;

namespace Feedback.Analytics.Topics;

/// <summary>The topic tables (migration 0016): fitted models, topics and the assignment of turns to them.</summary>
public sealed class TopicStore(IClickHouse store)
{
    /// <summary>
    /// The turns of one topic as a subquery (parameters <c>project</c>, <c>topic_id</c>), for readers that filter
    /// by topic: only assignments of the project's current fit count.
    /// </summary>
    public const string TurnsOfTopic = """
        SELECT turn_id FROM topic_assignments FINAL
        WHERE project = {project:String} AND topic_id = {topic_id:UInt32}
            AND fit = (SELECT max(fit) FROM topic_models WHERE project = {project:String})
        """;

    /// <summary>The current fit of each project that has one (without the model itself).</summary>
    public async Task<IReadOnlyDictionary<string, FitInfo>> FitsAsync(CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<FitInfo>(
            "SELECT project, fit, turns FROM topic_models FINAL",
            cancellationToken: cancellationToken).ConfigureAwait(false))
            .ToDictionary(f => f.Project);

    public async Task<StoredModel?> ModelAsync(string project, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync<StoredModel>(
            "SELECT fit, model, cluster_topics FROM topic_models FINAL WHERE project = {project:String}",
            new { project }, cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>The first topic id never used in the project.</summary>
    public async Task<uint> NextTopicIdAsync(string project, CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<NextId>("SELECT max(topic_id) + 1 AS id FROM topics WHERE project = {project:String}",
            new { project }, cancellationToken).ConfigureAwait(false)).Single().Id; // max of no rows is 0

    /// <summary>The topic each of these turns had in fit <paramref name="fit"/>.</summary>
    public async Task<IReadOnlyDictionary<string, uint>> TopicsOfAsync(string project, uint fit, IReadOnlyList<string> turnIds, CancellationToken cancellationToken = default) =>
        (await store.QueryAsync<Assigned>(
            "SELECT turn_id, topic_id FROM topic_assignments FINAL WHERE project = {project:String} AND fit = {fit:UInt32} AND turn_id IN {turns:Array(String)}",
            new { project, fit, turns = turnIds }, cancellationToken).ConfigureAwait(false))
            .ToDictionary(a => a.TurnId, a => a.TopicId);

    public Task AssignAsync(IReadOnlyCollection<TopicAssignment> rows, CancellationToken cancellationToken = default) =>
        store.InsertAsync("topic_assignments", rows, cancellationToken);

    /// <summary>
    /// Makes a fit current: its topics, then its model (readers switch to the new fit with this row), then the
    /// older fits' assignments go.
    /// </summary>
    public async Task PublishAsync(string project, TopicFit fit, IReadOnlyCollection<TopicRow> topics, CancellationToken cancellationToken = default)
    {
        await store.InsertAsync("topics", topics, cancellationToken).ConfigureAwait(false);
        await store.InsertAsync("topic_models", [fit], cancellationToken).ConfigureAwait(false);
        await store.ExecuteAsync("DELETE FROM topic_assignments WHERE project = {project:String} AND fit < {fit:UInt32}",
            new { project, fit = fit.Fit }, cancellationToken).ConfigureAwait(false);
    }

    public sealed record FitInfo(string Project, uint Fit, long Turns);

    public sealed record StoredModel(uint Fit, string Model, IReadOnlyList<uint> ClusterTopics);

    private sealed record NextId(uint Id);

    private sealed record Assigned(string TurnId, uint TopicId);
}
