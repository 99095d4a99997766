using Feedback.AI;
using Feedback.Events;
using Microsoft.Extensions.AI.Evaluation;

namespace Feedback.Tests.Sdk;

/// <summary>TrackEvaluation and the Microsoft.Extensions.AI.Evaluation adapter, through the real ingest into the embedded store.</summary>
[Collection(SharedStore.Name)]
public sealed class EvaluationSdkTests(EmbeddedStore store)
{
    private async Task<(FeedbackClient Client, string Project, WebApplication Host)> StartAsync()
    {
        var (project, key) = await store.NewProjectAsync();
        var host = await store.StartHostAsync();
        return (new FeedbackClient(new FeedbackClientOptions { Endpoint = new Uri(host.Urls.First()), WriteKey = key }), project, host);
    }

    private async Task<IReadOnlyList<FeedbackEvent>> EvaluationsAsync(string project) =>
        await store.Engine.QueryAsync<FeedbackEvent>(
            "SELECT * FROM events FINAL WHERE project = {project:String} AND kind = 'evaluation' ORDER BY evaluation_name", new { project });

    [Fact]
    public async Task TrackEvaluation_sends_an_evaluation_event_that_is_stored()
    {
        var (feedback, project, host) = await StartAsync();
        await using var _ = host;
        var turn = feedback.TrackTurn(new Turn { UserId = "u1", SessionId = "s1", ConversationId = "c1", Prompt = "2+2?", Response = "5", Model = "m" });

        feedback.TrackEvaluation(turn, new Evaluation { Name = "Correctness", Score = 1, Failed = true, Rating = EvaluationRatings.Unacceptable, Reason = "2+2 is 4, mail me at ann@example.com" });
        feedback.TrackEvaluation(new TurnRef("", "", "", turn.TurnId), new Evaluation { Name = "Coherence", Label = "coherent" }); // the turn id alone
        feedback.TrackEvaluation(turn, (Evaluation)null!); // misuse: logged and counted, never thrown
        await feedback.DisposeAsync();

        Assert.Equal((3, 0, 1), (feedback.Sent, feedback.Rejected, feedback.Dropped));
        var stored = await EvaluationsAsync(project);
        Assert.Equal(["Coherence", "Correctness"], stored.Select(e => e.EvaluationName));
        Assert.Equal((turn.TurnId, "", "coherent"), (stored[0].TurnId, stored[0].UserId, stored[0].EvaluationLabel));
        var correctness = stored[1];
        Assert.Equal((turn.TurnId, "u1", "c1"), (correctness.TurnId, correctness.UserId, correctness.ConversationId));
        Assert.Equal((1.0, true, "unacceptable"), (correctness.EvaluationScore, correctness.EvaluationFailed, correctness.EvaluationRating));
        Assert.Equal("2+2 is 4, mail me at [EMAIL]", correctness.EvaluationReason); // redacted like every free text
    }

    [Fact]
    public async Task An_evaluation_result_becomes_one_event_per_metric_with_a_result()
    {
        var (feedback, project, host) = await StartAsync();
        await using var _ = host;
        var turn = feedback.TrackTurn(new Turn { UserId = "u1", SessionId = "s1", ConversationId = "c1", Prompt = "Capital of Australia?", Response = "Sydney.", Model = "m" });
        var relevance = new NumericMetric("Relevance", 4, reason: "on topic")
        {
            Interpretation = new EvaluationMetricInterpretation(EvaluationRating.Good, failed: false, reason: "4 of 5"),
        };
        var groundedness = new NumericMetric("Groundedness", 2)
        {
            Interpretation = new EvaluationMetricInterpretation(EvaluationRating.Poor, failed: true, reason: "no source for the claim"),
        };
        var result = new EvaluationResult(
            relevance, groundedness, new BooleanMetric("Contains PII", false), new StringMetric("Tone", "formal"), new NumericMetric("Fluency", value: null));

        feedback.TrackEvaluation(turn, result);
        feedback.TrackEvaluation(turn, (EvaluationResult)null!); // misuse: logged and counted, never thrown
        await feedback.DisposeAsync();

        Assert.Equal((5, 0, 1), (feedback.Sent, feedback.Rejected, feedback.Dropped));
        var stored = (await EvaluationsAsync(project)).ToDictionary(e => e.EvaluationName!);
        Assert.Equal(["Contains PII", "Groundedness", "Relevance", "Tone"], stored.Keys); // Fluency had no value: not sent
        Assert.Equal((4.0, "good", false, "on topic"), (stored["Relevance"].EvaluationScore, stored["Relevance"].EvaluationRating, stored["Relevance"].EvaluationFailed, stored["Relevance"].EvaluationReason));
        Assert.Equal((2.0, "poor", true, "no source for the claim"), (stored["Groundedness"].EvaluationScore, stored["Groundedness"].EvaluationRating, stored["Groundedness"].EvaluationFailed, stored["Groundedness"].EvaluationReason));
        Assert.Equal((0.0, (bool?)null), (stored["Contains PII"].EvaluationScore, stored["Contains PII"].EvaluationFailed));
        Assert.Equal(("formal", (double?)null), (stored["Tone"].EvaluationLabel, stored["Tone"].EvaluationScore));
        Assert.All(stored.Values, e => Assert.Equal(turn.TurnId, e.TurnId));
    }
}
