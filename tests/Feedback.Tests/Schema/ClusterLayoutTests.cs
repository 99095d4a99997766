using System.Text.RegularExpressions;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Schema.Cluster;
using Feedback.Analytics.Store;
using Feedback.Events;
using static Feedback.Tests.Mining.StoredEvents;

namespace Feedback.Tests.Schema;

/// <summary>
/// The cluster form of the schema (docs/cluster.md). No cluster runs here, so the embedded engine checks what it can
/// without one: that it parses every generated statement, and that each sharding key is an integer over the table's
/// own columns which keeps a row's versions, and a turn's rows, together.
/// </summary>
[Collection(SharedStore.Name)]
public sealed class ClusterLayoutTests(EmbeddedStore store)
{
    private static readonly ClusterLayout Layout = new("feedback");

    [Fact]
    public async Task Every_statement_of_the_cluster_script_parses_in_the_engine()
    {
        var statements = ScriptStatements(Layout.Script(Migrator.All));

        // Every migration statement, a Distributed table for each sharded CREATE and column ALTER, a ledger row each.
        Assert.True(statements.Count > Migrator.All.Sum(m => m.Statements.Count) + Migrator.All.Count);
        foreach (var statement in statements)
        {
            var formatted = await FormatAsync(statement);
            // Every CREATE and every ALTER of a sharded table runs on every node; data, and ALTERs of a table whose replicas
            // are every node, run once.
            var once = statement.StartsWith("INSERT", StringComparison.Ordinal)
                || (statement.StartsWith("ALTER TABLE ", StringComparison.Ordinal) && ClusterTables.All.GetValueOrDefault(statement.Split(' ')[2]) is ReplicatedEverywhere);
            Assert.Equal(!once, formatted.Contains(" ON CLUSTER feedback", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_parse_check_rejects_a_broken_statement()
    {
        var create = Layout.Statements(Migrator.All[0])[0];
        var unbalanced = create.Replace("turn_id, event_id)", "turn_id, event_id", StringComparison.Ordinal);
        var misplaced = create.Replace("events_local ON CLUSTER 'feedback'", "ON CLUSTER 'feedback' events_local", StringComparison.Ordinal);

        await FormatAsync(create);
        Assert.NotEqual(create, unbalanced);
        Assert.NotEqual(create, misplaced);
        await Assert.ThrowsAsync<ClickHouseException>(() => FormatAsync(unbalanced));
        await Assert.ThrowsAsync<ClickHouseException>(() => FormatAsync(misplaced));
    }

    [Fact]
    public void Events_become_a_replicated_local_table_and_a_distributed_table_sharded_by_conversation()
    {
        var statements = Layout.Statements(Migration("0001_events"));

        Assert.Equal(2, statements.Count);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS events_local ON CLUSTER 'feedback'\n(\n    event_id UUID,", statements[0], StringComparison.Ordinal);
        Assert.EndsWith(
            "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/events_local', '{replica}')\nPARTITION BY toYYYYMM(timestamp)\nORDER BY (project, conversation_id, turn_id, event_id)",
            statements[0], StringComparison.Ordinal); // created at migration 0024's key: a cluster starts empty, nothing to rebuild
        Assert.Equal(
            "CREATE TABLE IF NOT EXISTS events ON CLUSTER 'feedback' AS events_local\nENGINE = Distributed('feedback', currentDatabase(), events_local, cityHash64(project, if(conversation_id = '', turn_id, conversation_id)))",
            statements[1]);
    }

    [Fact]
    public void The_events_rebuild_of_0024_is_its_index_changes_on_a_cluster_and_a_step_without_a_cluster_form_is_refused()
    {
        var statements = Layout.Statements(Migration("0024_events_sort_key"));

        Assert.Equal(
            [
                "ALTER TABLE events_local ON CLUSTER 'feedback' ADD INDEX IF NOT EXISTS events_received_at received_at TYPE minmax GRANULARITY 1",
                "ALTER TABLE events_local ON CLUSTER 'feedback' DROP INDEX IF EXISTS events_conversation_id",
            ],
            statements);
        var step = new Migration(99, "0099_step", []) { Step = (_, _) => Task.CompletedTask };
        Assert.Contains("0099_step: a step in C# has no cluster form", Assert.Throws<NotSupportedException>(() => Layout.Statements(step)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_arguments_and_clauses_are_kept()
    {
        var watermarks = Assert.Single(Layout.Statements(Migration("0005_export_watermarks")));
        var embeddings = Layout.Statements(Migration("0021_text_embeddings"));

        // A small table is one replica set over the whole cluster: no {shard} in its path, no Distributed table.
        Assert.Contains("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/export_watermarks', '{shard}-{replica}', updated_at)\nORDER BY (project, name)",
            watermarks, StringComparison.Ordinal);
        Assert.Contains("vector String CODEC(ZSTD(1)),", embeddings[0], StringComparison.Ordinal);
        Assert.EndsWith("'{replica}', created_at)\nORDER BY (project, model, text_hash)\nTTL toDateTime(created_at) + INTERVAL 180 DAY", embeddings[0], StringComparison.Ordinal);
        Assert.EndsWith("text_embeddings_local, cityHash64(project, text_hash))", embeddings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Alters_reach_the_local_tables_and_column_changes_the_distributed_tables_too()
    {
        var columns = Layout.Statements(Migration("0004_display_context"));
        var index = Layout.Statements(Migration("0015_turn_signals_time_index"));
        var keyOrigins = Layout.Statements(Migration("0023_key_origins"));
        var backfill = Layout.Statements(Migration("0014_turn_signals_breakdowns_backfill"));

        Assert.Equal(
        [
            "ALTER TABLE events_local ON CLUSTER 'feedback' ADD COLUMN IF NOT EXISTS stage LowCardinality(String)",
            "ALTER TABLE events ON CLUSTER 'feedback' ADD COLUMN IF NOT EXISTS stage LowCardinality(String)",
        ], columns.Take(2));
        Assert.Equal(8, columns.Count);
        // Indexes and mutations exist on the local tables only.
        Assert.Equal(
        [
            "ALTER TABLE turn_signals_local ON CLUSTER 'feedback' ADD INDEX IF NOT EXISTS turn_time turn_timestamp TYPE minmax GRANULARITY 1",
            "ALTER TABLE turn_signals_local ON CLUSTER 'feedback' MATERIALIZE INDEX turn_time",
        ], index);
        Assert.Equal(["ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS allowed_origins Array(String)"], keyOrigins);
        // A data migration runs once, through the Distributed tables, which keep the single-node names.
        Assert.StartsWith("INSERT INTO turn_signals\n", Assert.Single(backfill), StringComparison.Ordinal);
    }

    [Fact]
    public void The_script_records_each_migration_so_the_application_leaves_the_schema_alone()
    {
        var script = Layout.Script(Migrator.All);

        Assert.StartsWith("CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER 'feedback'", ScriptStatements(script)[0], StringComparison.Ordinal);
        foreach (var migration in Migrator.All)
            Assert.Contains($"VALUES ({migration.Version}, '{migration.Name}', now64(3, 'UTC'));", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sharding_keys_are_integers_over_each_tables_own_columns()
    {
        foreach (var (table, sharded) in ShardedTables())
        {
            var columns = await store.Engine.QueryAsync<DescribedColumn>($"DESCRIBE TABLE (SELECT {sharded.ShardingKey} AS shard FROM {table})");
            Assert.Equal("UInt64", Assert.Single(columns).Type);
        }
        await Assert.ThrowsAsync<ClickHouseException>(() => store.Engine.QueryAsync<DescribedColumn>("DESCRIBE TABLE (SELECT cityHash64(project, conversation_id) AS shard FROM pairs)"));
    }

    [Fact]
    public async Task Every_version_of_a_row_is_sent_to_one_shard()
    {
        // FINAL collapses versions within a shard only, so the key may read only columns fixed for the sorting key's row:
        // its own, an event's turn and conversation (a re-delivery is the same event), a turn's conversation.
        foreach (var (table, sharded) in ShardedTables())
        {
            var sortingKey = Assert.Single(await store.Engine.QueryAsync<TableKey>(
                "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = {table:String}", new { table })).SortingKey.Split(", ");
            HashSet<string> fixedColumns = [.. sortingKey];
            if (sortingKey.Contains("event_id")) fixedColumns.UnionWith(["turn_id", "conversation_id"]);
            if (sortingKey.Contains("turn_id")) fixedColumns.Add("conversation_id");
            var columns = await store.Engine.QueryAsync<TableColumn>(
                "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {table:String}", new { table });
            var read = columns.Select(c => c.Name).Where(c => Regex.IsMatch(sharded.ShardingKey, $@"\b{c}\b")).ToList();

            Assert.Contains("project", read);
            Assert.All(read, c => Assert.True(fixedColumns.Contains(c), $"{table}: {c} is not fixed for a row of ({string.Join(", ", sortingKey)})"));
        }
        Assert.Equal(ClusterTables.ByConversation, Sharded("events").ShardingKey);
        Assert.Equal(ClusterTables.ByConversation, Sharded("turn_signals").ShardingKey);
        Assert.Equal(ClusterTables.ByConversation, Sharded("topic_assignments").ShardingKey);
        Assert.Equal("cityHash64(project, if(conversation_id = '', turn_id, conversation_id))", ClusterTables.ByConversation);
    }

    [Fact]
    public async Task A_conversations_events_and_its_turns_signals_are_sent_to_one_shard()
    {
        var (project, _) = await store.NewProjectAsync();
        var redelivered = Conversation(Turn(project, "t2"), "c1");
        await store.Engine.InsertAsync("events", new[] { redelivered }); // a second insert: the copies are two rows until a merge
        await store.Engine.InsertAsync("events", new[]
        {
            Conversation(Turn(project, "t1"), "c1"), redelivered,
            Conversation(FeedbackOn(project, EventKinds.Choice, "t2", e => (e.AlternativeTurnIds, e.ChosenTurnId) = (["t1", "t2"], "t2")), "c1"),
            Conversation(Turn(project, "t3"), "c2"), Conversation(FeedbackOn(project, EventKinds.Reaction, "t3", e => e.Thumb = Thumbs.Down), "c2"),
            // Evaluations may name only their turn.
            Conversation(FeedbackOn(project, EventKinds.Evaluation, "t1", e => (e.EvaluationName, e.EvaluationScore) = ("Relevance", 4)), ""),
            Conversation(FeedbackOn(project, EventKinds.Evaluation, "t3", e => (e.EvaluationName, e.EvaluationScore) = ("Relevance", 2)), ""),
        });
        await new TurnSignalsJob(store.Engine, TimeProvider.System).DeriveAsync();

        var events = Sharded("events").ShardingKey;
        var signals = Sharded("turn_signals").ShardingKey;
        // Every event naming a turn (as its turn or as an alternative) against that turn's signals; each event's copies;
        // evaluations without a conversation.
        var placement = Assert.Single(await store.Engine.QueryAsync<Placement>($$"""
            SELECT count() AS joined, countIf(e.shard != s.shard) AS apart,
                   (SELECT uniqExact({{events}}) FROM events WHERE project = {project:String} AND kind != 'evaluation') AS shards,
                   (SELECT uniqExact({{events}}) FROM events WHERE project = {project:String} AND kind = 'evaluation') AS evaluation_shards,
                   (SELECT max(n) FROM (SELECT uniqExact({{events}}) AS n FROM events WHERE project = {project:String} GROUP BY event_id)) AS shards_per_event
            FROM (SELECT arrayJoin(arrayConcat([turn_id], alternative_turn_ids)) AS turn, {{events}} AS shard FROM events FINAL WHERE project = {project:String} AND kind != 'evaluation') AS e
            INNER JOIN (SELECT turn_id, {{signals}} AS shard FROM turn_signals FINAL WHERE project = {project:String}) AS s ON s.turn_id = e.turn
            """, new { project }));

        Assert.Equal(7, placement.Joined); // 2 turns and a choice naming 2 alternatives in c1, a turn and a reaction in c2
        Assert.Equal(0, placement.Apart);
        Assert.Equal(2, placement.Shards); // the two conversations do not share a key (they may still share a shard)
        Assert.Equal(1, placement.ShardsPerEvent);
        Assert.Equal(2, placement.EvaluationShards); // by turn: not all on the shard of conversation ''
    }

    [Fact]
    public void A_statement_or_table_without_a_cluster_form_is_refused()
    {
        var view = new Migration(99, "0099_view", ["CREATE MATERIALIZED VIEW IF NOT EXISTS v TO pairs AS SELECT * FROM events"]);
        var unplaced = new Migration(98, "0098_unplaced", ["CREATE TABLE IF NOT EXISTS unplaced\n(\n    a UInt8\n)\nENGINE = MergeTree\nORDER BY a"]);

        Assert.Contains("0099_view: no cluster form", Assert.Throws<NotSupportedException>(() => Layout.Statements(view)).Message, StringComparison.Ordinal);
        Assert.Contains("'unplaced' has no cluster placement", Assert.Throws<NotSupportedException>(() => Layout.Statements(unplaced)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ClusterLayout("feedback' SETTINGS x = 1"));
    }

    private static Migration Migration(string name) => Migrator.All.Single(m => m.Name == name);

    private static ShardedTable Sharded(string table) => Assert.IsType<ShardedTable>(ClusterTables.All[table]);

    private static IEnumerable<(string Table, ShardedTable Sharded)> ShardedTables() =>
        ClusterTables.All.Where(t => t.Value is ShardedTable).Select(t => (t.Key, (ShardedTable)t.Value));

    private static FeedbackEvent Conversation(FeedbackEvent e, string conversationId)
    {
        e.ConversationId = conversationId;
        return e;
    }

    // As clickhouse-client --multiquery reads the script: statements end with ';' at the end of a line.
    private static List<string> ScriptStatements(string script) =>
        script.Split(";\n")
            .Select(s => string.Join('\n', s.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(s => s.Length > 0)
            .ToList();

    // The engine's parser, without running the statement: formatQuery parses its argument and prints it back.
    private async Task<string> FormatAsync(string statement) =>
        Assert.Single(await store.Engine.QueryAsync<Formatted>("SELECT formatQuery({statement:String}) AS text", new { statement })).Text;

    private sealed record Formatted(string Text);

    private sealed record DescribedColumn(string Name, string Type);

    private sealed record TableKey(string SortingKey);

    private sealed record Placement(long Joined, long Apart, long Shards, long EvaluationShards, long ShardsPerEvent);

    private sealed record TableColumn(string Name);
}
