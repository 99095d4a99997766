namespace Feedback.Analytics.Topics;

/// <summary>
/// Gives the clusters of a new fit the ids of the old topics they continue, so topic ids stay stable across
/// refits. The feature spaces of two fits differ, so clusters are matched by the turns they share: pairs are
/// taken largest overlap first, each cluster and each old topic at most once, and only when the shared turns are
/// at least half of the cluster's previously assigned turns or half of the old topic's. A cluster that continues
/// nothing gets a new id; an old topic that nothing continues is retired. Ids are never reused.
/// </summary>
public static class TopicIdMapping
{
    /// <param name="clusters">Clusters of the new fit.</param>
    /// <param name="overlap">Turns in new cluster <c>Cluster</c> that were in old topic <c>Topic</c>.</param>
    /// <param name="nextId">The first id never used in the project.</param>
    /// <returns>The topic id of each cluster.</returns>
    public static uint[] Map(int clusters, IReadOnlyDictionary<(int Cluster, uint Topic), int> overlap, uint nextId)
    {
        var ofCluster = new int[clusters];
        var ofTopic = new Dictionary<uint, int>();
        foreach (var ((cluster, topic), turns) in overlap)
        {
            ofCluster[cluster] += turns;
            ofTopic[topic] = ofTopic.GetValueOrDefault(topic) + turns;
        }
        var ids = new uint?[clusters];
        var taken = new HashSet<uint>();
        foreach (var ((cluster, topic), turns) in overlap.OrderByDescending(o => o.Value).ThenBy(o => o.Key.Cluster).ThenBy(o => o.Key.Topic))
        {
            if (ids[cluster] is not null || taken.Contains(topic)) continue;
            if (turns * 2 < ofCluster[cluster] && turns * 2 < ofTopic[topic]) continue;
            ids[cluster] = topic;
            taken.Add(topic);
        }
        return ids.Select(id => id ?? nextId++).ToArray();
    }
}
