using System.Net;
using System.Text.Json.Nodes;
using Feedback.Events;

namespace Feedback.Tests.Ingest;

/// <summary>Evaluation events, and OpenTelemetry gen_ai.evaluation.result objects, through POST /v1/batch into the real store.</summary>
[Collection(SharedStore.Name)]
public sealed class EvaluationIngestTests(EmbeddedStore store) : IAsyncLifetime
{
    private WebApplication host = null!;
    private string url = null!;

    public async Task InitializeAsync()
    {
        host = await store.StartHostAsync();
        url = host.Urls.First();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    internal static JsonObject Evaluation(string turnId, string name = "Relevance", double? score = 4) => new()
    {
        ["event_id"] = Guid.CreateVersion7().ToString(),
        ["kind"] = "evaluation",
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["turn_id"] = turnId,
        ["evaluation_name"] = name,
        ["evaluation_score"] = score,
    };

    private static JsonObject Otel(JsonObject attributes, string timestamp = "2026-11-22T10:01:00Z") => new()
    {
        ["name"] = "gen_ai.evaluation.result",
        ["timestamp"] = timestamp,
        ["attributes"] = attributes,
    };

    private async Task<IReadOnlyList<FeedbackEvent>> EvaluationsAsync(string project) =>
        await store.Engine.QueryAsync<FeedbackEvent>(
            "SELECT * FROM events FINAL WHERE project = {project:String} AND kind = 'evaluation' ORDER BY evaluation_name, timestamp", new { project });

    [Fact]
    public async Task An_evaluation_posted_over_http_is_stored_with_every_field()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var evaluation = Evaluation("t1", "Groundedness", 2.5);
        evaluation["user_id"] = "u1";
        evaluation["conversation_id"] = "c1";
        evaluation["evaluation_label"] = "partly grounded";
        evaluation["evaluation_rating"] = "poor";
        evaluation["evaluation_failed"] = true;
        evaluation["evaluation_reason"] = "the second claim has no source";

        using var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(RawEvents.Turn("t1"), evaluation)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await EvaluationsAsync(project));
        Assert.Equal(Guid.Parse((string)evaluation["event_id"]!), stored.EventId);
        Assert.Equal(("t1", "u1", "c1", ""), (stored.TurnId, stored.UserId, stored.ConversationId, stored.SessionId));
        Assert.Equal(("Groundedness", 2.5, "partly grounded", "poor", true), (stored.EvaluationName, stored.EvaluationScore, stored.EvaluationLabel, stored.EvaluationRating, stored.EvaluationFailed));
        Assert.Equal("the second claim has no source", stored.EvaluationReason);
    }

    [Fact]
    public async Task Invalid_evaluations_are_rejected_each_with_a_reason_and_the_valid_ones_kept()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var noName = Evaluation("t1");
        noName.Remove("evaluation_name");
        var noResult = Evaluation("t1", score: null);
        var badRating = Evaluation("t1");
        badRating["evaluation_rating"] = "splendid";
        var noTurn = Evaluation("t1");
        noTurn.Remove("turn_id");
        var longLabel = Evaluation("t1");
        longLabel["evaluation_label"] = new string('x', 201);
        var labelOnly = Evaluation("t1", "Coherence", score: null);
        labelOnly["evaluation_label"] = "coherent";
        var failedOnly = Evaluation("t1", "Safety", score: null);
        failedOnly["evaluation_failed"] = false;

        using var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(
            Evaluation("t1"), noName, noResult, badRating, noTurn, longLabel, labelOnly, failedOnly)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["results"]!.AsArray();
        Assert.Equal(["accepted", "rejected", "rejected", "rejected", "rejected", "rejected", "accepted", "accepted"], results.Select(r => (string)r!["status"]!));
        Assert.Equal("an evaluation needs evaluation_name (e.g. Relevance)", (string)results[1]!["reason"]!);
        Assert.Equal("an evaluation needs at least one of evaluation_score, evaluation_label, evaluation_failed, evaluation_rating", (string)results[2]!["reason"]!);
        Assert.StartsWith("evaluation_rating must be one of unknown, inconclusive, unacceptable, poor, average, good, exceptional", (string)results[3]!["reason"]!, StringComparison.Ordinal);
        Assert.Equal("turn_id is required", (string)results[4]!["reason"]!);
        Assert.Equal("evaluation_label is longer than 200 characters", (string)results[5]!["reason"]!);
        Assert.Equal(["Coherence", "Relevance", "Safety"], (await EvaluationsAsync(project)).Select(e => e.EvaluationName));
    }

    [Fact]
    public async Task An_otel_evaluation_result_maps_onto_an_evaluation_event_and_a_resent_one_is_one_row()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var result = Otel(new JsonObject
        {
            ["gen_ai.evaluation.name"] = "Relevance",
            ["gen_ai.evaluation.score.value"] = 4.0,
            ["gen_ai.evaluation.score.label"] = "relevant",
            ["gen_ai.evaluation.explanation"] = "answers the question asked",
            ["gen_ai.response.id"] = "t1",
            ["gen_ai.conversation.id"] = "c1",
        });
        var ownTurnId = Otel(new JsonObject
        {
            ["gen_ai.evaluation.name"] = "Coherence",
            ["gen_ai.evaluation.score.label"] = "coherent",
            ["gen_ai.response.id"] = "chatcmpl-123",
            ["feedback.turn_id"] = "t2",
        });

        using var first = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(result, ownTurnId)));
        using var again = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(result.DeepClone())));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var firstIds = JsonNode.Parse(await first.Content.ReadAsStringAsync())!["results"]!.AsArray().Select(r => (string)r!["event_id"]!).ToList();
        var againId = (string)JsonNode.Parse(await again.Content.ReadAsStringAsync())!["results"]![0]!["event_id"]!;
        Assert.Equal(firstIds[0], againId); // no event_id given: derived from the result, the same each time
        var stored = await EvaluationsAsync(project);
        Assert.Equal(2, stored.Count);
        var coherence = stored[0];
        Assert.Equal(("Coherence", "t2", "coherent", (double?)null), (coherence.EvaluationName, coherence.TurnId, coherence.EvaluationLabel, coherence.EvaluationScore));
        var relevance = stored[1];
        Assert.Equal(EventKinds.Evaluation, relevance.Kind);
        Assert.Equal(("t1", "c1", ""), (relevance.TurnId, relevance.ConversationId, relevance.UserId));
        Assert.Equal((4.0, "relevant", "answers the question asked"), (relevance.EvaluationScore, relevance.EvaluationLabel, relevance.EvaluationReason));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 1, 0, TimeSpan.Zero), relevance.Timestamp);
        Assert.Equal((bool?)null, relevance.EvaluationFailed);
    }

    [Fact]
    public async Task A_malformed_otel_evaluation_result_is_rejected_with_the_attribute_named()
    {
        var (project, key) = await store.NewProjectAsync();
        using var http = RawEvents.Client(url, key);
        var stringScore = Otel(new JsonObject { ["gen_ai.evaluation.name"] = "Relevance", ["gen_ai.evaluation.score.value"] = "high", ["gen_ai.response.id"] = "t1" });
        var noName = Otel(new JsonObject { ["gen_ai.evaluation.score.value"] = 3, ["gen_ai.response.id"] = "t1" });
        var noTurn = Otel(new JsonObject { ["gen_ai.evaluation.name"] = "Relevance", ["gen_ai.evaluation.score.value"] = 3 });
        var noResult = Otel(new JsonObject { ["gen_ai.evaluation.name"] = "Relevance", ["gen_ai.response.id"] = "t1" });
        var noTime = Otel(new JsonObject { ["gen_ai.evaluation.name"] = "Relevance", ["gen_ai.evaluation.score.value"] = 3, ["gen_ai.response.id"] = "t1" });
        noTime.Remove("timestamp");
        var valid = Otel(new JsonObject { ["gen_ai.evaluation.name"] = "Relevance", ["gen_ai.evaluation.score.value"] = 3, ["gen_ai.response.id"] = "t1" });

        using var response = await http.PostAsync("v1/batch", RawEvents.Json(RawEvents.Batch(stringScore, noName, noTurn, noResult, noTime, valid)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["results"]!.AsArray();
        Assert.Equal(
            [
                "gen_ai.evaluation.score.value must be a number",
                "gen_ai.evaluation.name is required",
                "gen_ai.response.id (or feedback.turn_id) is required: the turn the result is about",
                "an evaluation needs at least one of evaluation_score, evaluation_label, evaluation_failed, evaluation_rating",
                "a gen_ai.evaluation.result event needs \"timestamp\" (ISO 8601)",
                null,
            ],
            results.Select(r => (string?)r!["reason"]));
        Assert.Equal(3.0, Assert.Single(await EvaluationsAsync(project)).EvaluationScore);
    }
}
