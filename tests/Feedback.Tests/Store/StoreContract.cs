using System.Text.Json;
using Feedback.Analytics.Embeddings;
using Feedback.Analytics.Events;
using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Analytics.Projects;
using Feedback.Analytics.Schema;
using Feedback.Analytics.Store;
using Feedback.Analytics.Store.Server;
using Feedback.Analytics.Trends;
using Feedback.Events;
using Feedback.Server.ClickHouseHttp;

namespace Feedback.Tests.Store;

/// <summary>
/// One contract, two stores: the embedded engine, and a ClickHouse server reached through ClickHouse.Driver
/// and Dapper (here the ClickHouse HTTP interface over the same engine). Same DDL, same queries, same answers.
/// </summary>
public abstract class StoreContract(EmbeddedStore store)
{
    protected EmbeddedStore Shared => store;

    protected abstract Task<IClickHouse> StoreAsync();

    private static FeedbackEvent Full(string project, string kind, string turnId) => new()
    {
        EventId = Guid.CreateVersion7(),
        Kind = kind,
        Project = project,
        Timestamp = new DateTimeOffset(2026, 11, 1, 12, 30, 45, 123, TimeSpan.Zero),
        ReceivedAt = new DateTimeOffset(2026, 11, 1, 12, 30, 46, 0, TimeSpan.Zero),
        UserId = "user ü",
        SessionId = "s",
        ConversationId = "c",
        TurnId = turnId,
        PreviousTurnId = "t0",
        Request = [new RequestMessage("system", "be brief\ttabs\nand 'quotes' \\ backslash"), new RequestMessage("user", "hi 🎉")],
        Response = "hello",
        Model = "m",
        ModelVersion = "v",
        PromptTemplate = "tpl",
        LatencyMs = 12,
        InputTokens = 3,
        OutputTokens = 4,
        Metadata = new Dictionary<string, string> { ["k"] = "v", ["topic"] = "code" },
        Thumb = "up",
        Emoji = "👍",
        Rating = 4.5,
        RatingScale = 5,
        Comment = "ok",
        EditedResponse = "hello!",
        Message = "thanks",
        NewTurnId = "t2",
        AlternativeTurnIds = ["a", "b"],
        ChosenTurnId = "b",
        CopiedText = "hel",
        Stage = "generation",
        DisplayPosition = 1,
        DisplayedTurnIds = ["a", "b"],
        ControlVisible = true,
        EvaluationName = "Relevance",
        EvaluationScore = 4.25,
        EvaluationLabel = "relevant",
        EvaluationRating = "good",
        EvaluationFailed = false,
        EvaluationReason = "on topic\nbut 'long'",
    };

    [Fact]
    public async Task Every_event_field_round_trips()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var written = Full(project, EventKinds.Turn, "t1");
        var sparse = new FeedbackEvent
        {
            EventId = Guid.CreateVersion7(),
            Kind = EventKinds.Copy,
            Project = project,
            Timestamp = written.Timestamp,
            ReceivedAt = written.ReceivedAt,
            UserId = "u",
            SessionId = "s",
            ConversationId = "c",
            TurnId = "t1",
        };

        await db.InsertAsync("events", [written, sparse]);
        var read = await db.QueryAsync<FeedbackEvent>("SELECT * FROM events FINAL WHERE project = {project:String} ORDER BY kind DESC", new { project });

        Assert.Equal(2, read.Count);
        Assert.Equal(JsonSerializer.Serialize(written, FeedbackJson.Options), JsonSerializer.Serialize(read[0], FeedbackJson.Options));
        Assert.Equal(sparse.EventId, read[1].EventId);
        Assert.Equal("", read[1].Response); // absent text reads back as ClickHouse's default
        Assert.Null(read[1].LatencyMs); // absent numbers stay absent (Nullable)
        Assert.Empty(read[1].AlternativeTurnIds!);
    }

    [Fact]
    public async Task Events_inserted_as_json_rows_are_stored_as_the_same_events_inserted_as_objects()
    {
        var db = await StoreAsync();
        var asObjects = "c-" + Guid.NewGuid().ToString("N")[..10];
        var asJson = "c-" + Guid.NewGuid().ToString("N")[..10];
        var full = Full(asObjects, EventKinds.Turn, "t1");
        full.Timestamp = full.Timestamp!.Value.ToOffset(TimeSpan.FromHours(2)); // the same instant, written with its offset
        // Only what the loader requires: the engine defaults every other column, received_at included.
        var sparse = new FeedbackEvent { EventId = Guid.CreateVersion7(), Kind = EventKinds.Copy, Project = asObjects, Timestamp = full.Timestamp };

        await db.InsertAsync("events", [full, sparse]);
        full.Project = sparse.Project = asJson;
        await db.InsertJsonRowsAsync("events", [JsonSerializer.SerializeToUtf8Bytes(full, FeedbackJson.Options), JsonSerializer.SerializeToUtf8Bytes(sparse, FeedbackJson.Options)]);

        var expected = await ReadAsync(db, asObjects);
        var read = await ReadAsync(db, asJson);
        Assert.Equal(2, read.Count);
        Assert.Equal(expected, read);
        var defaulted = JsonSerializer.Deserialize<FeedbackEvent>(read[1], FeedbackJson.Options)!;
        Assert.Equal(DateTimeOffset.UnixEpoch, defaulted.ReceivedAt);
        Assert.Equal("", defaulted.Response);
        Assert.Null(defaulted.LatencyMs);
        Assert.Empty(defaulted.Metadata!);
    }

    [Fact]
    public async Task A_json_row_with_escaped_text_is_stored_with_the_text_it_escapes()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var id = Guid.CreateVersion7();
        var row = $$$"""{"event_id":"{{{id}}}","kind":"edit","project":"{{{project}}}","timestamp":"2026-11-01T12:30:45.123Z","edited_response":"\u00fc \/ \ud83c\udf89 \" \\ \n\t\u0001 é","metadata":{"k\u00e9":"v"}}""";

        await db.InsertJsonRowsAsync("events", [System.Text.Encoding.UTF8.GetBytes(row)]);

        var read = (await db.QueryAsync<FeedbackEvent>("SELECT * FROM events FINAL WHERE project = {project:String}", new { project })).Single();
        Assert.Equal("ü / 🎉 \" \\ \n\t\u0001 é", read.EditedResponse);
        Assert.Equal("v", read.Metadata!["ké"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 12, 30, 45, 123, TimeSpan.Zero), read.Timestamp);
    }

    // Every column of a project's events but the project, one JSON object per event, in kind order.
    private static async Task<List<string>> ReadAsync(IClickHouse db, string project) =>
        [.. (await db.QueryAsync<FeedbackEvent>("SELECT * FROM events FINAL WHERE project = {project:String} ORDER BY kind DESC", new { project }))
            .Select(e => { e.Project = null; return JsonSerializer.Serialize(e, FeedbackJson.Options); })];

    [Fact]
    public async Task The_same_event_inserted_twice_is_one_row_in_query_results()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var e = Full(project, EventKinds.Edit, "t1");

        await db.InsertAsync("events", [e]);
        await db.InsertAsync("events", [e]);

        Assert.Equal(1, await new EventStore(db).CountAsync(project));
    }

    [Fact]
    public async Task The_events_table_is_sorted_by_conversation_and_turn_with_an_index_on_arrival()
    {
        var db = await StoreAsync();

        Assert.Equal(EventsSortKey.SortingKey, await EventsSortKey.SortingKeyAsync(db, "events"));
        Assert.Null(await EventsSortKey.SortingKeyAsync(db, EventsSortKey.Beside("events"))); // the old rows are gone
        var indexes = await db.QueryAsync<IndexRow>(
            "SELECT name, type FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'events' ORDER BY name");
        Assert.Equal([new IndexRow("events_received_at", "minmax")], indexes);
    }

    // Migration 0024 on a table with data, as events was before it (its columns, sorted by (project, event_id)): three
    // months of events, some delivered twice. Stopped after the copy (one partition half copied, one event written
    // to the old table meanwhile), run again, and run once more after it finished.
    [Fact]
    public async Task Rebuilding_events_under_the_new_key_loses_nothing_and_can_be_stopped_and_run_again()
    {
        var db = await StoreAsync();
        var table = "events_rebuild_" + Guid.NewGuid().ToString("N")[..8];
        var beside = EventsSortKey.Beside(table);
        // The columns of events without its projection (0029, which came after 0024 and which a ReplacingMergeTree
        // keeps only with a setting this statement cannot carry through the ClickHouse HTTP interface).
        await db.ExecuteAsync($"CREATE TABLE {table} ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(timestamp) ORDER BY (project, event_id) EMPTY AS SELECT * FROM events");
        var events = Enumerable.Range(0, 300).Select(i =>
        {
            var e = Full("p" + (i % 2), i % 3 == 0 ? EventKinds.Turn : EventKinds.Reaction, $"t{i / 3}");
            e.ConversationId = $"c{i / 30}";
            e.Timestamp = new DateTimeOffset(2026, 9 + i % 3, 10, 8, 0, 0, TimeSpan.Zero).AddMinutes(i);
            return e;
        }).ToList();
        await db.InsertAsync(table, events);
        await db.InsertAsync(table, events.Take(40).Select(e => Redelivered(e)).ToList());
        var before = await ContentAsync(db, table);
        Assert.Equal(340, before.Rows);
        Assert.Equal(300, before.Events);

        // Stopped after the copy: one partition copied only in part, and an event written to the old table after it was copied.
        await EventsSortKey.CreateAsync(db, table);
        await EventsSortKey.CopyAsync(db, table);
        var partition = (await db.QueryAsync<PartitionIdRow>($"SELECT any(_partition_id) AS partition_id FROM {beside}"))[0].PartitionId;
        await db.ExecuteAsync($"ALTER TABLE {beside} DROP PARTITION ID '{partition}'");
        await db.ExecuteAsync($"INSERT INTO {beside} SELECT * FROM {table} FINAL WHERE _partition_id = '{partition}' LIMIT 7");
        var late = Full("p0", EventKinds.Edit, "t1");
        late.ConversationId = "c0";
        await db.InsertAsync(table, [late]);

        await EventsSortKey.RebuildAsync(db, table);

        var after = await ContentAsync(db, table);
        Assert.Equal(EventsSortKey.SortingKey, await EventsSortKey.SortingKeyAsync(db, table));
        Assert.Null(await EventsSortKey.SortingKeyAsync(db, beside));
        Assert.Equal(301, after.Events);
        Assert.Equal(301, after.Rows); // copied FINAL: one row per event, none twice
        Assert.Equal(await ContentAsync(db, table, excluding: late.EventId), before with { Rows = 300 });

        // Stopped after the swap, before the old rows were dropped: the run again carries over what they hold and drops them.
        var table2 = table + "_b";
        await db.ExecuteAsync($"CREATE TABLE {table2} AS {table} ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(timestamp) ORDER BY (project, event_id)");
        await db.ExecuteAsync($"INSERT INTO {table2} SELECT * FROM {table}");
        await EventsSortKey.CreateAsync(db, table2);
        await EventsSortKey.CopyAsync(db, table2);
        var later = Full("p1", EventKinds.Copy, "t2");
        later.ConversationId = "c0";
        await db.InsertAsync(table2, [later]);
        await EventsSortKey.SwapAsync(db, table2);
        await EventsSortKey.RebuildAsync(db, table2);
        Assert.Equal(302, (await ContentAsync(db, table2)).Rows);
        Assert.Null(await EventsSortKey.SortingKeyAsync(db, EventsSortKey.Beside(table2)));

        // Run again when done: nothing changes. A re-delivered event still collapses under the new key.
        await EventsSortKey.RebuildAsync(db, table);
        Assert.Equal(after, await ContentAsync(db, table));
        await db.InsertAsync(table, [Redelivered(events[5])]);
        var redelivered = await ContentAsync(db, table);
        Assert.Equal(302, redelivered.Rows);
        Assert.Equal(after with { Rows = 302 }, redelivered);

        await db.ExecuteAsync($"DROP TABLE {table}");
        await db.ExecuteAsync($"DROP TABLE {table2}");
    }

    private static FeedbackEvent Redelivered(FeedbackEvent e)
    {
        var copy = JsonSerializer.Deserialize<FeedbackEvent>(JsonSerializer.Serialize(e, FeedbackJson.Options), FeedbackJson.Options)!;
        copy.ReceivedAt = e.ReceivedAt!.Value.AddMinutes(5);
        return copy;
    }

    // Rows (re-deliveries included), distinct events (FINAL), and a hash over every event's fields as FINAL reads them.
    private static async Task<Content> ContentAsync(IClickHouse db, string table, Guid? excluding = null) =>
        (await db.QueryAsync<Content>($$"""
            SELECT
                (SELECT count() FROM {{table}} WHERE event_id != {excluding:UUID}) AS rows,
                count() AS events,
                toString(sum(cityHash64(event_id, kind, project, timestamp, conversation_id, turn_id, request, response,
                    metadata, thumb, rating, alternative_turn_ids, evaluation_score))) AS hash
            FROM {{table}} FINAL
            WHERE event_id != {excluding:UUID}
            """, new { excluding = excluding ?? Guid.Empty }))[0];

    private sealed record Content(long Rows, long Events, string Hash);

    private sealed record IndexRow(string Name, string Type);

    private sealed record PartitionIdRow(string PartitionId);

    [Fact]
    public async Task Keys_with_their_origins_mining_and_export_give_the_same_answers()
    {
        var db = await StoreAsync();
        var keys = new ProjectKeys(db);
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var key = await keys.CreateProjectAsync(project);
        var turn = Full(project, EventKinds.Turn, "t1");
        var edit = Full(project, EventKinds.Edit, "t1");
        edit.EditedResponse = "hello, friend";

        await new EventStore(db).AppendAsync([turn, edit]);
        await new TurnSignalsJob(db, TimeProvider.System).DeriveAsync(); // the edit miner reads the turns derived since its mark
        await new EditPairMiner(db, TimeProvider.System).MineAsync();
        using var output = new MemoryStream();
        var exported = await new DpoExport(db).WriteAsync(project, output);

        Assert.Equal(project, await new ProjectKeys(db).FindProjectAsync(key, KeyKind.Write));
        Assert.Null(await keys.FindProjectAsync(key + "x", KeyKind.Write));
        var pageKey = await keys.CreateWriteKeyAsync(project, ["https://chat.example.com", "http://127.0.0.1:5173"]);
        Assert.Equal(["https://chat.example.com", "http://127.0.0.1:5173"], (await new ProjectKeys(db).FindGrantAsync(pageKey))!.Origins);
        Assert.Empty((await new ProjectKeys(db).FindGrantAsync(key))!.Origins);
        Assert.Equal(1, exported);
        var line = JsonDocument.Parse(output.ToArray()).RootElement;
        Assert.Equal("system: be brief\ttabs\nand 'quotes' \\ backslash\n\nuser: hi 🎉", line.GetProperty("prompt").GetString());
        Assert.Equal("hello, friend", line.GetProperty("chosen").GetString());
        Assert.Equal("hello", line.GetProperty("rejected").GetString());
        Assert.Equal([turn.EventId.ToString(), edit.EventId.ToString()], line.GetProperty("meta").GetProperty("source_event_ids").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Topics_fit_assign_and_read_the_same_way()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var start = DateTimeOffset.UtcNow.AddDays(-10);
        var (events, themes) = Feedback.Simulation.ComplaintTraffic.Generate(project, 150, seed: 5, start, TimeSpan.FromDays(7));
        await db.InsertAsync("events", events);
        await new TurnSignalsJob(db, TimeProvider.System).DeriveAsync();
        using var job = new Feedback.Analytics.Topics.TopicJob(db, Feedback.Analytics.Embeddings.MiniLmEmbedder.Shared, Feedback.Analytics.Topics.ComplaintKinds.Shipped, new Feedback.Analytics.Topics.TopicOptions(), TimeProvider.System);

        var fitted = await job.RefitAsync(project);
        var (more, moreThemes) = Feedback.Simulation.ComplaintTraffic.Generate(project, 20, seed: 6, start, TimeSpan.FromDays(7), turnPrefix: "m");
        await db.InsertAsync("events", more);
        await new TurnSignalsJob(db, TimeProvider.System).DeriveAsync();
        var assigned = await job.AssignNewAsync(project);
        var refitted = await job.RefitAsync(project);
        var view = await new Feedback.Analytics.Topics.TopicReader(db).ReadAsync(project,
            new(start.AddDays(-1), DateTimeOffset.UtcNow, TrendInterval.Week, 100));

        Assert.Equal(themes.Count, fitted.Assigned);
        Assert.Equal(moreThemes.Count, assigned.Assigned);
        Assert.Equal(themes.Count + moreThemes.Count, refitted.Assigned);
        Assert.Equal(themes.Count + moreThemes.Count, view.Topics.Sum(t => t.Size));
        Assert.All(view.Topics, t => Assert.NotEmpty(t.Examples));
    }

    [Fact]
    public async Task Choice_and_regenerate_mining_give_the_same_answers()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var a = Full(project, EventKinds.Turn, "a");
        var b = Full(project, EventKinds.Turn, "b");
        b.Response = "hello there";
        var choice = Full(project, EventKinds.Choice, "a");
        choice.AlternativeTurnIds = ["a", "b", "unknown"];
        choice.ChosenTurnId = "a";
        var regenerate = Full(project, EventKinds.Regenerate, "a");
        regenerate.NewTurnId = "b";
        var approval = Full(project, EventKinds.Reaction, "b");
        approval.Thumb = null;
        approval.Emoji = "❤️";
        approval.Rating = null;
        approval.RatingScale = null;

        await new EventStore(db).AppendAsync([a, b, choice, regenerate, approval]);
        await MiningJob.Over(db, TimeProvider.System).RunAsync();
        var again = await MiningJob.Over(db, TimeProvider.System).RunAsync();
        var pairs = await db.QueryAsync<PreferencePair>("SELECT * FROM pairs FINAL WHERE project = {project:String} ORDER BY source", new { project });

        Assert.Equal(0, again.Pairs[PairSources.Choice] + again.Pairs[PairSources.Regenerate]);
        Assert.Equal([PairSources.Choice, PairSources.Regenerate], pairs.Select(p => p.Source));
        Assert.Equal(("hello", "hello there"), (pairs[0].Chosen, pairs[0].Rejected));
        Assert.Equal([choice.EventId!.Value, a.EventId!.Value, b.EventId!.Value], pairs[0].SourceEventIds);
        Assert.Equal(("hello there", "hello"), (pairs[1].Chosen, pairs[1].Rejected));
        Assert.Equal([regenerate.EventId!.Value, a.EventId!.Value, b.EventId!.Value, approval.EventId!.Value], pairs[1].SourceEventIds);
    }

    [Fact]
    public async Task Follow_up_and_same_request_mining_give_the_same_answers()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var t0 = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        FeedbackEvent Turn(string turnId, int minute, string prompt, string response, string user, string conversation)
        {
            var turn = Mining.StoredEvents.Turn(project, turnId, t0.AddMinutes(minute), prompt, response, user);
            turn.ConversationId = conversation;
            return turn;
        }
        FeedbackEvent On(FeedbackEvent turn, int minute, string kind, Action<FeedbackEvent> fill) =>
            Mining.StoredEvents.FeedbackOn(project, kind, turn.TurnId!, fill, t0.AddMinutes(minute));
        // Source 4: a correction, then the answer to the corrected request approved.
        var wrong = Turn("a", 0, "What is the capital of Australia?", "The capital of Australia is Sydney.", "u1", "c1");
        var correction = On(wrong, 1, EventKinds.FollowUp, e => e.Message = "No, that's wrong - the capital is Canberra, not Sydney.");
        var right = Turn("b", 2, "No, that's wrong - the capital is Canberra, not Sydney.", "You're right: the capital of Australia is Canberra.", "u1", "c1");
        var approval = On(right, 3, EventKinds.Reaction, e => e.Thumb = Thumbs.Up);
        // Source 5: the same request typed differently, thumbs up and down; and another one rated 5 and 1 of 5.
        var good = Turn("good", 10, "What is 15% of 80?", "15% of 80 is 12.", "u2", "c2");
        var goodThumb = On(good, 11, EventKinds.Reaction, e => e.Thumb = Thumbs.Up);
        var bad = Turn("bad", 12, "  what is 15 % of 80 ", "15% of 80 is 15.", "u3", "c3");
        var badThumb = On(bad, 13, EventKinds.Reaction, e => e.Thumb = Thumbs.Down);
        var rated = Turn("rated", 20, "Which planet is closest to the sun?", "Mercury.", "u4", "c4");
        var ratedHigh = On(rated, 21, EventKinds.Reaction, e => (e.Rating, e.RatingScale) = (5, 5));
        var poorlyRated = Turn("poorly-rated", 22, "Which planet is closest to the sun?", "Venus.", "u5", "c5");
        var ratedLow = On(poorlyRated, 23, EventKinds.Reaction, e => (e.Rating, e.RatingScale) = (1, 5));

        await new EventStore(db).AppendAsync([wrong, correction, right, approval, good, goodThumb, bad, badThumb, rated, ratedHigh, poorlyRated, ratedLow]);
        await new TurnSignalsJob(db, TimeProvider.System).DeriveAsync();
        await new FollowUpPairMiner(db, TimeProvider.System, MiniLmEmbedder.Shared).MineAsync();
        await new SameRequestPairMiner(db, TimeProvider.System).MineAsync();
        var pairs = await db.QueryAsync<PreferencePair>(
            "SELECT * FROM pairs FINAL WHERE project = {project:String} ORDER BY source, turn_id", new { project });

        Assert.Equal(
            [
                (PairSources.FollowUp, "a", "What is the capital of Australia?", "You're right: the capital of Australia is Canberra.", "The capital of Australia is Sydney."),
                (PairSources.SameRequest, "bad", "  what is 15 % of 80 ", "15% of 80 is 12.", "15% of 80 is 15."),
                (PairSources.SameRequestRating, "poorly-rated", "Which planet is closest to the sun?", "Mercury.", "Venus."),
            ],
            pairs.Select(p => (p.Source, p.TurnId, Assert.Single(p.Prompt).Content, p.Chosen, p.Rejected)));
        Assert.Equal([wrong.EventId!.Value, correction.EventId!.Value, right.EventId!.Value, approval.EventId!.Value], pairs[0].SourceEventIds);
        Assert.Equal([bad.EventId!.Value, good.EventId!.Value], pairs[1].SourceEventIds);
        Assert.Equal([poorlyRated.EventId!.Value, rated.EventId!.Value], pairs[2].SourceEventIds);
        Assert.Equal([("u1", "v1"), ("u3", "v1"), ("u5", "v1")], pairs.Select(p => (p.UserId, p.ModelVersion)));
        Assert.Equal(SameRequestPairMiner.Confidence, pairs[1].Confidence);
        Assert.Equal(SameRequestPairMiner.Confidence, pairs[2].Confidence);
    }

    [Fact]
    public async Task Turn_signals_give_the_same_answers()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var turn = Full(project, EventKinds.Turn, "t1");
        var reaction = Full(project, EventKinds.Reaction, "t1");
        (reaction.Emoji, reaction.Rating) = ("", null); // a thumb up
        var edit = Full(project, EventKinds.Edit, "t1");
        edit.EditedResponse = "hello, friend";
        var followUp = Full(project, EventKinds.FollowUp, "t1");
        followUp.Message = "thanks, that worked!";

        await db.InsertAsync("events", [turn, reaction, edit, followUp]);
        await new TurnSignalsJob(db, TimeProvider.System).DeriveAsync();
        var signals = Assert.Single(await db.QueryAsync<TurnSignals>(
            "SELECT * FROM turn_signals FINAL WHERE project = {project:String}", new { project }));

        Assert.Equal(("t1", "m", 1L, 1), (signals.TurnId, signals.Model, signals.ThumbsUp, (int)signals.ReactionPolarity));
        Assert.Null(signals.RatingNormalized);
        Assert.Equal(1, signals.Edited);
        Assert.Equal(8.0 / 13, signals.EditDistanceRatio!.Value, 9);
        Assert.Equal("positive", signals.FollowUpLabel);
        Assert.Equal(("tpl", "generation", "code"), (signals.PromptTemplate, signals.Stage, signals.Metadata["topic"]));
    }

    [Fact]
    public async Task Trends_and_comparisons_give_the_same_answers()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var day = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        await new Trends.PlantedTurns(project)
            .Plant(new Trends.Cohort("v1", day, 200) { Positive = 20, Negative = 30, Edited = 10, Pairs = 2 })
            .Plant(new Trends.Cohort("v2", day.AddDays(1), 200) { Positive = 60, Negative = 30, Metadata = new Dictionary<string, string> { ["locale"] = "de" } })
            .WriteAsync(db);
        var reports = new TrendReports(db);
        var filter = new TrendFilter { Project = project, From = day, To = day.AddDays(7) };

        var trends = await reports.TrendsAsync(filter, TrendInterval.Week, TrendField.Parse("metadata.locale"));
        var german = await reports.TrendsAsync(filter with { Metadata = new Dictionary<string, string> { ["locale"] = "de" } }, TrendInterval.Day, by: null);
        var comparison = await reports.CompareAsync(filter, TrendField.ModelVersion, "v1", "v2", 0.95);

        Assert.Equal(["de", "en"], trends.Series.Select(s => s.Key));
        var en = Assert.Single(trends.Series[1].Points);
        Assert.Equal((day.UtcDateTime, 200L, 60L, 2L), (en.Time, en.Turns, en.FeedbackTurns, en.Pairs));
        Assert.Equal(0.4, en.MeanEditDistance!.Value, 12);
        Assert.Equal(0.05, en.FollowUpRates["positive"]!.Value, 12);
        Assert.Equal(day.AddDays(1).UtcDateTime, Assert.Single(Assert.Single(german.Series).Points).Time);
        Assert.Equal(0.2, comparison.PositiveRateDifference.Estimate!.Value, 12);
        Assert.True(comparison.PositiveRateDifference.Significant);
        Assert.False(comparison.NegativeRateDifference.Significant);
    }

    [Fact]
    public async Task Evaluations_are_stored_and_trended_the_same_way()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var day = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var planted = new Trends.PlantedTurns(project).Plant(new Trends.Cohort("v1", day, 3) { Negative = 2 });
        await planted.WriteAsync(db);
        FeedbackEvent Evaluation(string turnId, double? score, bool? failed, int minute)
        {
            var e = Full(project, EventKinds.Evaluation, turnId);
            (e.EvaluationScore, e.EvaluationFailed, e.Timestamp) = (score, failed, day.AddHours(20).AddMinutes(minute));
            return e;
        }
        var turns = planted.Signals.Select(s => s.TurnId).ToArray();

        // The first turn is scored twice: its newer result (2) replaces the older (5).
        await new EventStore(db).AppendAsync([Evaluation(turns[0], 5, false, 0), Evaluation(turns[0], 2, true, 1), Evaluation(turns[1], 4, null, 0)]);
        var report = await new TrendReports(db).TrendsAsync(new TrendFilter { Project = project, From = day, To = day.AddDays(1) }, TrendInterval.Day, TrendField.ModelVersion);

        var series = Assert.Single(report.Evaluations);
        Assert.Equal(("v1", "Relevance", "evaluator"), (series.Key, series.EvaluationName, series.Source));
        var point = Assert.Single(series.Points);
        Assert.Equal((2L, 2L, 1L), (point.EvaluatedTurns, point.ScoredTurns, point.JudgedTurns));
        Assert.Equal(3.0, point.MeanScore!.Value, 12);
        Assert.Equal(1.0, point.FailedRate);
        Assert.Equal(2 / 3.0, Assert.Single(Assert.Single(report.Series).Points).NegativeRate!.Value, 12);
    }

    [Fact]
    public async Task Export_filters_and_watermarks_give_the_same_answers()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var keep = Export.ExportPairs.Pair(project, t0.AddHours(1), model: "a", modelVersion: "2", confidence: 0.6f);
        await Export.ExportPairs.InsertAsync(db,
            Export.ExportPairs.Pair(project, t0, model: "a", modelVersion: "2"), keep,
            Export.ExportPairs.Pair(project, t0.AddHours(2), model: "b", modelVersion: "2"),
            Export.ExportPairs.Pair(project, t0.AddHours(1), model: "a", modelVersion: "2", source: "choice"),
            Export.ExportPairs.Pair(project, t0.AddHours(1), model: "a", modelVersion: "2", confidence: 0.5f));
        var filter = new ExportFilter
        {
            Project = project,
            From = t0.AddMinutes(1),
            To = t0.AddHours(3),
            Models = ["a"],
            ModelVersions = ["2", "3"],
            Sources = ["edit"],
            MinConfidence = 0.6f,
        };

        var text = await Export.ExportPairs.ExportTextAsync(db, DpoFormat.Name, filter);

        Assert.Equal(keep.PairId.ToString(), JsonDocument.Parse(Assert.Single(Export.ExportPairs.Lines(text))).RootElement.GetProperty("meta").GetProperty("pair_id").GetString());
        var watermarks = new ExportWatermarks(db, TimeProvider.System);
        var (planned, next) = await watermarks.PlanAsync(new PairExport(db), DpoFormat.Name, filter, "nightly");
        Assert.Equal(new ExportPosition(keep.CreatedAt, keep.PairId), next);
        await watermarks.AdvanceAsync(project, "nightly", next!);
        Assert.Equal(next, await watermarks.GetAsync(project, "nightly"));
        Assert.Empty(Export.ExportPairs.Lines(await Export.ExportPairs.ExportTextAsync(db, DpoFormat.Name, planned with { After = next! })));
    }

    [Fact]
    public async Task Labels_predictor_and_noise_controls_give_the_same_answers()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var events = Mining.ReactionPredictorTests.Conversations(project, seed: 3, count: 150);
        var reacted = events.Count(e => e.Kind == EventKinds.Reaction);
        await db.InsertAsync("events", events);

        await MiningJob.Over(db, TimeProvider.System).RunAsync();
        var trained = await new Analytics.Mining.Predictor.ReactionPredictors(db, TimeProvider.System).TrainAsync(project);
        var scored = await MiningJob.Over(db, TimeProvider.System).RunAsync();
        var all = Export.ExportPairs.Lines(await Export.ExportPairs.ExportTextAsync(db, KtoFormat.Name, new ExportFilter { Project = project }));
        var doubted = Export.ExportPairs.Lines(await Export.ExportPairs.ExportTextAsync(db, KtoFormat.Name,
            new ExportFilter { Project = project, MinPredictedPositive = 0.99f, ExcludeOutlierUsers = true, Deduplicate = true }));
        var bias = await new BiasReport(db).BuildAsync(project);

        Assert.InRange(trained.Auc, 0.75, 1);
        Assert.True(scored.TurnsScored > 0);
        Assert.Equal(reacted, all.Length); // one label per reacted turn of the seeded conversations
        Assert.InRange(doubted.Length, 1, reacted - 1);
        // Same-request pairs (source 5) come out of these conversations too; the report counts every mined pair.
        var mined = (await db.QueryAsync<PairCount>("SELECT count() AS n FROM pairs FINAL WHERE project = {project:String}", new { project })).Single().N;
        Assert.Equal([("v1", mined)], bias.ModelVersions.Select(v => (v.ModelVersion, v.Pairs)));
        Assert.Equal(reacted, bias.ModelVersions[0].PositiveLabels + bias.ModelVersions[0].NegativeLabels);
    }

    [Fact]
    public async Task Scoring_in_batches_gives_the_same_answers()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        await db.InsertAsync("events", Mining.ReactionPredictorTests.Conversations(project, seed: 4, count: 60));
        await new TurnSignalsJob(db, TimeProvider.System).DeriveAsync();
        var predictors = new Analytics.Mining.Predictor.ReactionPredictors(db, TimeProvider.System);
        await predictors.TrainAsync(project);

        await new Analytics.Mining.Predictor.TurnScoringJob(db, predictors, TimeProvider.System, batchSize: 5).ScoreAsync();
        var unreacted = await db.QueryAsync<TurnIdRow>(
            "SELECT turn_id FROM turn_signals FINAL WHERE project = {project:String} AND reaction_polarity = 0 ORDER BY turn_id", new { project });
        var scored = await db.QueryAsync<TurnIdRow>(
            "SELECT turn_id FROM turn_predictions WHERE project = {project:String} ORDER BY turn_id", new { project });

        Assert.True(unreacted.Count > 2 * 5, $"{unreacted.Count} turns without a reaction: too few for several batches");
        Assert.Equal(unreacted, scored); // each once, across batches that start after the previous one's last turn id
    }

    private sealed record TurnIdRow(string TurnId);

    private sealed record PairCount(long N);

    [Fact]
    public async Task Queries_run_with_the_store_settings()
    {
        var db = await StoreAsync();

        foreach (var (name, value) in StoreSettings.All)
        {
            var row = Assert.Single(await db.QueryAsync<SettingRow>($"SELECT toString(toUInt8(getSetting('{name}'))) AS value"));
            Assert.Equal(value, row.Value);
        }
    }

    private sealed record SettingRow(string Value);

    [Fact]
    public async Task Engine_errors_carry_the_clickhouse_code()
    {
        var db = await StoreAsync();

        var syntax = await Assert.ThrowsAsync<ClickHouseException>(() => db.ExecuteAsync("SELEC 1"));
        var data = await Assert.ThrowsAsync<ClickHouseException>(() => db.QueryAsync<object>("SELECT toUInt32('not a number') AS n"));

        Assert.Equal(62, syntax.Code);
        Assert.False(syntax.IsDataError);
        Assert.True(data.IsDataError, data.Message);
    }

    [Fact]
    public async Task A_json_row_the_engine_refuses_is_a_data_error_and_stores_nothing_of_its_insert()
    {
        var db = await StoreAsync();
        var project = "c-" + Guid.NewGuid().ToString("N")[..10];
        var good = new FeedbackEvent { EventId = Guid.CreateVersion7(), Kind = EventKinds.Turn, Project = project, Timestamp = DateTimeOffset.UtcNow };
        var bad = $$$"""{"event_id":"{{{Guid.CreateVersion7()}}}","kind":"turn","project":"{{{project}}}","timestamp":"2026-11-01T12:30:45Z","latency_ms":-1}""";

        // The loader's cue to insert row by row and dead-letter the refused one, on either store.
        var refused = await Assert.ThrowsAsync<ClickHouseException>(() =>
            db.InsertJsonRowsAsync("events", [JsonSerializer.SerializeToUtf8Bytes(good, FeedbackJson.Options), System.Text.Encoding.UTF8.GetBytes(bad)]));

        Assert.True(refused.IsDataError, refused.Message);
        Assert.Equal(0, await new EventStore(db).CountAsync(project));
    }
}

[Collection(SharedStore.Name)]
public sealed class EmbeddedStoreContract(EmbeddedStore store) : StoreContract(store)
{
    protected override Task<IClickHouse> StoreAsync() => Task.FromResult<IClickHouse>(Shared.Engine);
}

[Collection(SharedStore.Name)]
public sealed class ServerStoreContract(EmbeddedStore store) : StoreContract(store), IAsyncLifetime, IDisposable
{
    private ClickHouseHttpServer? server;
    private ClickHouseServerStore? client;

    public async Task InitializeAsync()
    {
        server = await Shared.StartClickHouseHttpAsync();
        client = new ClickHouseServerStore($"Host=127.0.0.1;Port={server.Url.Port};Username=default;Password={EmbeddedStore.ClickHousePassword}");
    }

    protected override Task<IClickHouse> StoreAsync() => Task.FromResult<IClickHouse>(client!);

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    public void Dispose() => client?.Dispose();
}
