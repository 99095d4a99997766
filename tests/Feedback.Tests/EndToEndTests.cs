using System.Text.Json.Nodes;
using Feedback.Analytics.Export;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Model;
using Feedback.Events;

namespace Feedback.Tests;

/// <summary>SDK → ingest (real HTTP, 127.0.0.1) → embedded ClickHouse → miner → DPO export.</summary>
[Collection(SharedStore.Name)]
public sealed class EndToEndTests(EmbeddedStore store)
{
    [Fact]
    public async Task A_turn_and_its_edit_become_exactly_one_exported_pair_with_lineage()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var host = await store.StartHostAsync();
        TurnRef turn;
        await using (var client = new FeedbackClient(new FeedbackClientOptions { Endpoint = new Uri(host.Urls.First()), WriteKey = key }))
        {
            turn = client.TrackTurn(new Turn
            {
                UserId = "user-1",
                SessionId = "session-1",
                ConversationId = "conv-1",
                Prompt = "When did Apollo 11 land on the moon?",
                Response = "Apollo 11 landed on the moon on July 21, 1968.",
                Model = "gpt-test",
                ModelVersion = "2026-01",
            });
            client.TrackEdit(turn, "Apollo 11 landed on the moon on July 20, 1969.");
            client.TrackEdit(turn, "Apollo 11 landed on the moon on July 21,  1968. "); // whitespace only: no pair
        }

        var mined = await host.Services.GetRequiredService<MiningJob>().RunAsync();
        var minedAgain = await host.Services.GetRequiredService<MiningJob>().RunAsync();
        using var output = new MemoryStream();
        var exported = await host.Services.GetRequiredService<DpoExport>().WriteAsync(project, output);

        Assert.True(mined.Pairs[PairSources.Edit] >= 1); // other tests' projects may hold pending edits too
        Assert.Equal(0, minedAgain.Pairs[PairSources.Edit]);
        Assert.Equal(1, exported);
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = JsonNode.Parse(Assert.Single(lines))!;
        Assert.Equal("When did Apollo 11 land on the moon?", (string)line["prompt"]!);
        Assert.Equal("Apollo 11 landed on the moon on July 20, 1969.", (string)line["chosen"]!);
        Assert.Equal("Apollo 11 landed on the moon on July 21, 1968.", (string)line["rejected"]!);

        var meta = line["meta"]!;
        var ids = await store.Engine.QueryAsync<EventIdRow>(
            "SELECT event_id, kind, edited_response FROM events FINAL WHERE project = {project:String}", new { project });
        var turnEvent = ids.Single(r => r.Kind == EventKinds.Turn).EventId;
        var editEvent = ids.Single(r => r.Kind == EventKinds.Edit && r.EditedResponse.Contains("1969", StringComparison.Ordinal)).EventId;
        Assert.Equal([turnEvent.ToString(), editEvent.ToString()], meta["source_event_ids"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("edit", (string)meta["source"]!);
        Assert.Equal(turn.TurnId, (string)meta["turn_id"]!);
        Assert.Equal("gpt-test", (string)meta["model"]!);
        Assert.Equal("2026-01", (string)meta["model_version"]!);
        Assert.Equal("user-1", (string)meta["user_id"]!);
        Assert.Equal(project, (string)meta["project"]!);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)meta["created_at"]!, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromHours(1));
    }

    private sealed record EventIdRow(Guid EventId, string Kind, string EditedResponse);
}
