using System.Text.Json.Nodes;
using Feedback.Analytics.Export;
using Feedback.Analytics.Export.Formats;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Mining.FollowUps;
using Feedback.Analytics.Mining.Labels;
using Feedback.Analytics.Model;
using Feedback.Events;
using static Feedback.Tests.Mining.StoredEvents;

namespace Feedback.Tests.Mining;

/// <summary>Unpaired labels through the real embedded store: mined from signals, exported as KTO, parsed back.</summary>
[Collection(SharedStore.Name)]
public sealed class TurnLabelTests(EmbeddedStore store)
{
    [Fact]
    public async Task Clear_signals_become_kto_rows_with_lineage_and_conflicts_are_left_out()
    {
        var (project, _) = await store.NewProjectAsync();
        var up = Turn(project, "up", response: "Canberra.");
        var thumb = FeedbackOn(project, EventKinds.Reaction, "up", e => e.Thumb = Thumbs.Up);
        await InsertAsync(up, thumb,
            Turn(project, "edited", response: "Sydney, I believe."),
            FeedbackOn(project, EventKinds.Edit, "edited", e => e.EditedResponse = "Canberra."),
            Turn(project, "conflict"),
            FeedbackOn(project, EventKinds.Reaction, "conflict", e => e.Thumb = Thumbs.Up),
            FeedbackOn(project, EventKinds.FollowUp, "conflict", e => e.Message = "That's wrong. Useless answer."),
            Turn(project, "quiet"),
            Turn(project, "neutral"),
            FeedbackOn(project, EventKinds.Reaction, "neutral", e => (e.Rating, e.RatingScale) = (3, 5)));

        await MineAsync();
        var labels = (await ReadAsync(project)).ToDictionary(l => l.TurnId);
        var kto = await KtoAsync(project);

        Assert.Equal(["conflict", "edited", "neutral", "up"], labels.Keys.Order());
        Assert.Equal((0, 0f), ((int)labels["conflict"].Label, labels["conflict"].Confidence));
        Assert.Equal(["thumb_up", "follow_up_complaint"], labels["conflict"].Signals);
        Assert.Equal(0, labels["neutral"].Label); // 0.6 of the scale: between the thresholds, no vote
        Assert.Equal(2, kto.Count);
        var good = kto.Single(l => (string?)l["meta"]!["turn_id"] == "up");
        Assert.Equal(("What is the capital of Australia?", "Canberra.", true), ((string)good["prompt"]!, (string)good["completion"]!, (bool)good["label"]!));
        Assert.Equal(LabelRules.ThumbConfidence, (float)good["meta"]!["confidence"]!);
        Assert.Equal("reaction", (string?)good["meta"]!["source"]);
        Assert.Equal([up.EventId!.Value, thumb.EventId!.Value], good["meta"]!["source_event_ids"]!.AsArray().Select(i => Guid.Parse((string)i!)));
        Assert.Equal(labels["up"].LabelId.ToString(), (string?)good["meta"]!["label_id"]);
        Assert.Equal(PreferencePair.IdFor("label", [up.EventId!.Value, thumb.EventId!.Value]), labels["up"].LabelId);
        var bad = kto.Single(l => (string?)l["meta"]!["turn_id"] == "edited");
        Assert.Equal(("Sydney, I believe.", false, "edit"), ((string)bad["completion"]!, (bool)bad["label"]!, (string)bad["meta"]!["source"]!));
    }

    [Fact]
    public async Task A_watermarked_kto_export_gets_new_and_revised_labels_once_and_not_unchanged_ones()
    {
        var (project, _) = await store.NewProjectAsync();
        var earlier = DateTimeOffset.UtcNow.AddMinutes(-1);
        await InsertAsync(Turn(project, "a", earlier), FeedbackOn(project, EventKinds.Copy, "a", _ => { }, earlier),
            Turn(project, "b", earlier), FeedbackOn(project, EventKinds.Reaction, "b", e => e.Emoji = "👎", earlier));
        await MineAsync();
        var first = await KtoAsync(project, "nightly");

        // b: an unrelated follow-up changes its signals but not its label; a: a thumb up adds a vote (revision).
        await InsertAsync(FeedbackOn(project, EventKinds.FollowUp, "b", e => e.Message = "Now translate it into Italian."),
            FeedbackOn(project, EventKinds.Reaction, "a", e => e.Thumb = Thumbs.Up));
        await MineAsync();
        var second = await KtoAsync(project, "nightly");
        var third = await KtoAsync(project, "nightly");

        Assert.Equal([("a", true, LabelRules.CopyConfidence), ("b", false, LabelRules.EmojiConfidence)], first.Select(Row).Order());
        Assert.Equal([("a", true, LabelRules.ThumbConfidence)], second.Select(Row));
        Assert.Equal(["thumb_up", "copy"], second[0]["meta"]!["signals"]!.AsArray().Select(s => (string)s!));
        Assert.Empty(third);
    }

    [Fact]
    public async Task A_label_that_becomes_conflicting_leaves_the_export()
    {
        var (project, _) = await store.NewProjectAsync();
        await InsertAsync(Turn(project, "t"), FeedbackOn(project, EventKinds.Reaction, "t", e => e.Thumb = Thumbs.Up));
        await MineAsync();
        Assert.Single(await KtoAsync(project));

        await InsertAsync(FeedbackOn(project, EventKinds.Regenerate, "t", e => e.NewTurnId = "t2"));
        await MineAsync();

        Assert.Empty(await KtoAsync(project));
        Assert.Equal(["thumb_up", "regenerate"], Assert.Single(await ReadAsync(project)).Signals);
    }

    private static (string, bool, float) Row(JsonNode line) =>
        ((string)line["meta"]!["turn_id"]!, (bool)line["label"]!, (float)line["meta"]!["confidence"]!);

    private Task<MiningResult> MineAsync() => MiningJob.Over(store.Engine, TimeProvider.System).RunAsync();

    private Task<IReadOnlyList<TurnLabel>> ReadAsync(string project) =>
        store.Engine.QueryAsync<TurnLabel>("SELECT * FROM turn_labels FINAL WHERE project = {project:String} ORDER BY turn_id", new { project });

    private async Task<List<JsonNode>> KtoAsync(string project, string? watermark = null)
    {
        var export = new PairExport(store.Engine);
        var filter = new ExportFilter { Project = project };
        var watermarks = new ExportWatermarks(store.Engine, TimeProvider.System);
        ExportPosition? next = null;
        if (watermark is not null) (filter, next) = await watermarks.PlanAsync(export, KtoFormat.Name, filter, watermark);
        using var output = new MemoryStream();
        await export.WriteAsync(KtoFormat.Name, filter, output);
        if (watermark is not null && next is not null) await watermarks.AdvanceAsync(project, watermark, next);
        return System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
    }

    private Task InsertAsync(params FeedbackEvent[] events) => store.Engine.InsertAsync("events", events);
}

/// <summary>The label rules, one planted signals row each, labelled by the job in the real store.</summary>
[Collection(SharedStore.Name)]
public sealed class LabelRulesTests(EmbeddedStore store)
{
    private static TurnSignals Signals(
        long up = 0, long down = 0, sbyte emoji = 0, double? rating = null, byte edited = 0, double? editRatio = null,
        byte regenerated = 0, byte copied = 0, string followUp = "", float? followUpConfidence = null) =>
        new("p", "t", "c", "u", "m", "v1", DateTimeOffset.UnixEpoch, 0, up, down, emoji, rating, edited, editRatio, regenerated, 0, 0, copied,
            followUp, followUpConfidence, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    public static TheoryData<string, TurnSignals, int, float> Cases => new()
    {
        { "thumb up", Signals(up: 1), 1, LabelRules.ThumbConfidence },
        { "thumb down", Signals(down: 2), -1, LabelRules.ThumbConfidence },
        { "high rating", Signals(rating: 0.8), 1, LabelRules.RatingConfidence },
        { "low rating", Signals(rating: 0.4), -1, LabelRules.RatingConfidence },
        { "middle rating", Signals(rating: 0.6), 0, 0 },
        { "positive emoji", Signals(emoji: 1), 1, LabelRules.EmojiConfidence },
        { "heavy edit", Signals(edited: 1, editRatio: 0.5), -1, LabelRules.HeavyEditConfidence },
        { "light edit", Signals(edited: 1, editRatio: 0.1), 0, 0 },
        { "copy", Signals(copied: 1), 1, LabelRules.CopyConfidence },
        { "regenerate", Signals(regenerated: 1), -1, LabelRules.RegenerateConfidence },
        { "thanks", Signals(followUp: FollowUpLabels.Positive, followUpConfidence: 0.9f), 1, 0.72f },
        { "correction", Signals(followUp: FollowUpLabels.Correction, followUpConfidence: 1f), -1, 0.8f },
        { "rephrase", Signals(followUp: FollowUpLabels.Rephrase, followUpConfidence: 1f), -1, 0.7f },
        { "unsure complaint", Signals(followUp: FollowUpLabels.Complaint, followUpConfidence: 0.4f), 0, 0 },
        { "clarification", Signals(followUp: FollowUpLabels.Clarification, followUpConfidence: 1f), 0, 0 },
        { "copy and thumb up: the strongest", Signals(up: 1, copied: 1), 1, LabelRules.ThumbConfidence },
        { "thumb up and thumb down", Signals(up: 1, down: 1), 0, 0 },
        { "copy then complaint", Signals(copied: 1, followUp: FollowUpLabels.Complaint, followUpConfidence: 0.9f), 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Votes_agree_or_the_turn_has_no_label(string name, TurnSignals signals, int label, float confidence)
    {
        var (project, _) = await store.NewProjectAsync();
        var turn = Turn(project, "t");
        await store.Engine.InsertAsync("events", [turn]);
        // The turn's conversation, as derived signals carry it: the label job finds a turn's events by it.
        await store.Engine.InsertAsync("turn_signals", [signals with { Project = project, ConversationId = turn.ConversationId!, DerivedAt = DateTimeOffset.UtcNow }]);

        await new TurnLabelJob(store.Engine, TimeProvider.System).LabelAsync();

        var row = Assert.Single(await store.Engine.QueryAsync<TurnLabel>("SELECT * FROM turn_labels FINAL WHERE project = {project:String}", new { project }));
        Assert.True(label == row.Label, name);
        Assert.Equal(confidence, row.Confidence, 4);
        Assert.Equal(turn.EventId, row.SourceEventIds[0]);
        Assert.Equal(PreferencePair.IdFor("label", row.SourceEventIds), row.LabelId); // ClickHouse makes the same id as C#
    }
}
