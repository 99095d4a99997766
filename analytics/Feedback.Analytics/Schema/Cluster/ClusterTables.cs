namespace Feedback.Analytics.Schema.Cluster;

/// <summary>
/// Where each table of the schema lives on a cluster (docs/cluster.md gives the reasoning at length). A table that
/// is not here has no cluster form: generating the layout fails until one is chosen.
/// </summary>
public static class ClusterTables
{
    /// <summary>
    /// A conversation's rows on one shard: its turns, and every re-delivery of its events. An evaluation may come
    /// without its conversation (docs/events.md); it goes by its turn instead of piling onto the shard of ''.
    /// </summary>
    public const string ByConversation = "cityHash64(project, if(conversation_id = '', turn_id, conversation_id))";

    public const string ByTurn = "cityHash64(project, turn_id)";

    public static IReadOnlyDictionary<string, TablePlacement> All { get; } = new Dictionary<string, TablePlacement>
    {
        ["events"] = new ShardedTable(ByConversation,
            "a re-delivered event keeps its conversation, so its copies meet on one shard for FINAL; a conversation's turns, choices and follow-ups are joined by the miners")
        {
            SortingKey = EventsSortKey.SortingKey, // migration 0024's key, from the start
        },
        ["turn_signals"] = new ShardedTable(ByConversation,
            "a turn's conversation never changes, so its re-derivations replace each other on one shard, the shard of the turn's events"),
        ["topic_assignments"] = new ShardedTable(ByConversation,
            "as turn_signals: a turn's assignments stay with its conversation"),
        ["follow_up_reviews"] = new ShardedTable(ByConversation,
            "as turn_signals: a follow-up's reviews meet the turn's signals they override on one shard"),
        ["text_signals"] = new ShardedTable(ByTurn,
            "no conversation_id column: by turn, so an event's row and its re-derivations meet on one shard (ORDER BY project, turn_id, event_id)"),
        ["turn_labels"] = new ShardedTable(ByTurn,
            "no conversation_id column: by turn (ORDER BY project, turn_id)"),
        ["turn_predictions"] = new ShardedTable(ByTurn,
            "no conversation_id column: by turn (ORDER BY project, turn_id)"),
        ["pairs"] = new ShardedTable("cityHash64(project, pair_id)",
            "a pair may join two conversations (same-request pairs), and pair_id is its identity: re-mined copies meet on one shard"),
        ["judged_answers"] = new ShardedTable("cityHash64(project, request_key)",
            "the same-request miner groups the answers to one request across conversations: they stay together"),
        ["text_embeddings"] = new ShardedTable("cityHash64(project, text_hash)",
            "a cache keyed by the text's hash: a text's vector is written and read on one shard"),
        ["projects"] = new ReplicatedEverywhere("small, read on every request: whole on every node"),
        ["api_keys"] = new ReplicatedEverywhere("small, read on every request: whole on every node"),
        ["export_watermarks"] = new ReplicatedEverywhere("a row per named export: whole on every node"),
        ["mining_marks"] = new ReplicatedEverywhere("a row per project and miner, read by every mining statement: whole on every node"),
        ["reaction_predictors"] = new ReplicatedEverywhere("a model per project: whole on every node"),
        ["topic_models"] = new ReplicatedEverywhere("a model per project: whole on every node"),
        ["follow_up_models"] = new ReplicatedEverywhere("a follow-up classifier per adapted project: whole on every node"),
        ["topics"] = new ReplicatedEverywhere("a few dozen rows per project: whole on every node"),
        [Migrator.LedgerTable] = new ReplicatedEverywhere("the applied migrations, read by every process at start: whole on every node"),
    };
}
