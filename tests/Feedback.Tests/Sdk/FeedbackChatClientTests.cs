using Feedback.AI;
using Feedback.Events;
using Microsoft.Extensions.AI;

namespace Feedback.Tests.Sdk;

/// <summary>The capture middleware over a scripted model, sending to a tiny ingest over real HTTP.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime")]
public sealed class FeedbackChatClientTests : IAsyncLifetime
{
    private FakeIngest ingest = null!;
    private FeedbackClient feedback = null!;

    public async Task InitializeAsync()
    {
        ingest = await FakeIngest.StartAsync();
        feedback = new FeedbackClient(new FeedbackClientOptions { Endpoint = ingest.Url, WriteKey = "fbw_test", FlushInterval = TimeSpan.FromMilliseconds(50) });
    }

    public async Task DisposeAsync()
    {
        await feedback.DisposeAsync();
        await ingest.DisposeAsync();
    }

    private IChatClient Capture(IChatClient model) => model.AsBuilder().UseFeedbackCapture(feedback).Build();

    [Fact]
    public async Task A_turn_is_recorded_with_its_request_answer_model_usage_and_ids()
    {
        using var chat = Capture(new ScriptedChatClient("Canberra is the capital."));
        var options = new ChatOptions { Instructions = "Be brief." }.WithFeedback(userId: "u1", sessionId: "s1", conversationId: "c1");

        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Capital of Australia?")], options);
        await feedback.FlushAsync();

        var e = Assert.Single(ingest.OfKind(EventKinds.Turn));
        Assert.Equal(("u1", "s1", "c1"), (e.UserId, e.SessionId, e.ConversationId));
        Assert.Equal([new RequestMessage("system", "Be brief."), new RequestMessage("user", "Capital of Australia?")], e.Request);
        Assert.Equal("Canberra is the capital.", e.Response);
        Assert.Equal("scripted-1", e.Model);
        Assert.Equal((11, 4), (e.InputTokens, e.OutputTokens));
        Assert.True(e.LatencyMs >= 0);
        Assert.Null(e.PreviousTurnId);
        Assert.Equal("scripted", e.Metadata!["provider"]);
        Assert.Equal("stop", e.Metadata["finish_reason"]);

        var turn = response.GetFeedbackTurn();
        Assert.Equal(new TurnRef("u1", "s1", "c1", e.TurnId!), turn);
        Assert.Equal(turn, response.Messages.Single().GetFeedbackTurn());
        Assert.Equal(0, feedback.Rejected);
    }

    [Fact]
    public async Task A_streamed_turn_passes_every_update_through_and_is_recorded_when_the_stream_ends()
    {
        using var chat = Capture(new ScriptedChatClient("The capital is Canberra."));

        List<ChatResponseUpdate> updates = [];
        await foreach (var update in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Capital of Australia?")]))
        {
            Assert.NotNull(update.GetFeedbackTurn()); // the app has the turn from the first token
            updates.Add(update);
        }
        await feedback.FlushAsync();

        Assert.Equal(5, updates.Count); // four words and the usage
        var e = Assert.Single(ingest.OfKind(EventKinds.Turn));
        Assert.Equal("The capital is Canberra.", e.Response);
        Assert.Equal("scripted-1", e.Model);
        Assert.Equal((11, 4), (e.InputTokens, e.OutputTokens));
        Assert.True(e.Metadata!.ContainsKey("time_to_first_update_ms"));
        Assert.Equal(e.TurnId, updates.ToChatResponse().GetFeedbackTurn()?.TurnId);
        Assert.Equal("anonymous", e.UserId); // defaults when the app names nobody
        Assert.False(string.IsNullOrEmpty(e.SessionId));
        Assert.False(string.IsNullOrEmpty(e.ConversationId));
    }

    [Fact]
    public async Task The_next_user_message_links_the_turns_and_becomes_the_previous_turns_follow_up()
    {
        using var chat = Capture(new ScriptedChatClient("Sydney.", "Sorry: Canberra."));
        List<ChatMessage> history = [new(ChatRole.User, "Capital of Australia?")];

        var first = await chat.GetResponseAsync(history);
        history.AddMessages(first);
        history.Add(new ChatMessage(ChatRole.User, "No, that's wrong."));
        var second = await chat.GetResponseAsync(history);
        await feedback.FlushAsync();

        var turn1 = first.GetFeedbackTurn()!.Value;
        var turn2 = second.GetFeedbackTurn()!.Value;
        var turns = ingest.OfKind(EventKinds.Turn);
        Assert.Equal(turn1.TurnId, turns.Single(t => t.TurnId == turn2.TurnId).PreviousTurnId);
        Assert.Equal((turn1.UserId, turn1.SessionId, turn1.ConversationId), (turn2.UserId, turn2.SessionId, turn2.ConversationId));

        var followUp = Assert.Single(ingest.OfKind(EventKinds.FollowUp));
        Assert.Equal(turn1.TurnId, followUp.TurnId);
        Assert.Equal("No, that's wrong.", followUp.Message);
        Assert.Equal(0, feedback.Rejected);
    }

    [Fact]
    public async Task Streamed_turns_link_too()
    {
        using var chat = Capture(new ScriptedChatClient("Sydney.", "Sorry: Canberra."));
        var options = new ChatOptions().WithFeedback(userId: "u7");
        List<ChatMessage> history = [new(ChatRole.User, "Capital of Australia?")];

        List<ChatResponseUpdate> updates = [];
        await foreach (var u in chat.GetStreamingResponseAsync(history, options)) updates.Add(u);
        history.AddMessages(updates);
        history.Add(new ChatMessage(ChatRole.User, "No, that's wrong."));
        await foreach (var u in chat.GetStreamingResponseAsync(history, options)) { }
        await feedback.FlushAsync();

        var turn1 = updates[0].GetFeedbackTurn()!.Value;
        var turns = ingest.OfKind(EventKinds.Turn);
        var second = turns.Single(t => t.TurnId != turn1.TurnId);
        Assert.Equal(turn1.TurnId, second.PreviousTurnId);
        Assert.Equal(turn1.ConversationId, second.ConversationId);
        Assert.Equal(turn1.TurnId, Assert.Single(ingest.OfKind(EventKinds.FollowUp)).TurnId);
    }

    [Fact]
    public async Task Turns_link_by_the_answers_text_when_the_history_is_rebuilt_from_stored_text()
    {
        using var chat = Capture(new ScriptedChatClient("Sydney.", "Sorry: Canberra."));
        var options = new ChatOptions().WithFeedback(userId: "u9", conversationId: "c9");

        var first = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Capital of Australia?")], options);
        // A web app that keeps only the texts builds new message objects, which carry no turn.
        List<ChatMessage> rebuilt = [new(ChatRole.User, "Capital of Australia?"), new(ChatRole.Assistant, first.Text), new(ChatRole.User, "Wrong.")];
        var second = await chat.GetResponseAsync(rebuilt, options);
        var elsewhere = await chat.GetResponseAsync(rebuilt, new ChatOptions().WithFeedback(userId: "u9", conversationId: "other"));
        await feedback.FlushAsync();

        var turns = ingest.OfKind(EventKinds.Turn);
        Assert.Equal(first.GetFeedbackTurn()!.Value.TurnId, turns.Single(t => t.TurnId == second.GetFeedbackTurn()!.Value.TurnId).PreviousTurnId);
        Assert.Null(turns.Single(t => t.TurnId == elsewhere.GetFeedbackTurn()!.Value.TurnId).PreviousTurnId); // another conversation's text
        Assert.Equal("Wrong.", Assert.Single(ingest.OfKind(EventKinds.FollowUp)).Message);
    }

    [Fact]
    public async Task A_regenerated_request_links_to_the_same_previous_turn_without_a_second_follow_up()
    {
        using var chat = Capture(new ScriptedChatClient("Sydney.", "Sydney, I think.", "Canberra."));
        List<ChatMessage> history = [new(ChatRole.User, "Capital of Australia?")];
        var first = await chat.GetResponseAsync(history);
        history.AddMessages(first);
        history.Add(new ChatMessage(ChatRole.User, "Are you sure?"));

        var answer = await chat.GetResponseAsync(history);
        var regenerated = await chat.GetResponseAsync(history); // same history: the user asked for another answer
        feedback.TrackRegenerate(answer.GetFeedbackTurn()!.Value, regenerated.GetFeedbackTurn()!.Value);
        await feedback.FlushAsync();

        var turn1 = first.GetFeedbackTurn()!.Value.TurnId;
        Assert.All(ingest.OfKind(EventKinds.Turn).Where(t => t.TurnId != turn1), t => Assert.Equal(turn1, t.PreviousTurnId));
        Assert.Single(ingest.OfKind(EventKinds.FollowUp));
        Assert.Single(ingest.OfKind(EventKinds.Regenerate));
    }

    [Fact]
    public async Task Feedback_keys_do_not_reach_the_model_and_other_properties_do()
    {
        var model = new ScriptedChatClient("ok");
        using var chat = Capture(model);
        var options = new ChatOptions { AdditionalProperties = new() { ["seed"] = 7, [FeedbackChatKeys.TurnId] = "my-message-42" } }.WithFeedback(userId: "u1");

        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options);

        var sent = model.Calls.Single().Options!.AdditionalProperties!;
        Assert.Equal(["seed"], sent.Keys);
        Assert.Equal("my-message-42", response.GetFeedbackTurn()?.TurnId);
        Assert.Equal("u1", options.AdditionalProperties![FeedbackChatKeys.UserId]); // the app's options are left as they were
    }

    [Fact]
    public async Task The_model_comes_from_the_response_else_the_options_else_the_client()
    {
        var model = new ScriptedChatClient("ok") { ModelId = null };
        using var chat = Capture(model);

        await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "a")], new ChatOptions { ModelId = "from-options" });
        await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "b")]);
        await feedback.FlushAsync();

        Assert.Equal(["from-options", "scripted-default"], ingest.OfKind(EventKinds.Turn).Select(t => t.Model).Order());
    }

    [Fact]
    public async Task The_models_exceptions_reach_the_app_unchanged()
    {
        var boom = new InvalidOperationException("model down");
        using var chat = Capture(new ScriptedChatClient("never") { Throw = boom });

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => chat.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")])));
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")])) { }
        }));
        await feedback.FlushAsync();
        Assert.Empty(ingest.OfKind(EventKinds.Turn));
    }

    [Fact]
    public async Task A_capture_failure_does_not_break_the_chat_call()
    {
        using var chat = Capture(new ScriptedChatClient("still answered"));
        var options = new ChatOptions { AdditionalProperties = new() { [FeedbackChatKeys.UserId] = new Unprintable() } };

        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options);
        List<ChatResponseUpdate> updates = [];
        await foreach (var u in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")], options)) updates.Add(u);

        Assert.Equal("still answered", response.Text);
        Assert.Null(response.GetFeedbackTurn());
        Assert.Equal("still answered", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task An_unreachable_ingest_does_not_break_the_chat_call()
    {
        await using var offline = new FeedbackClient(new FeedbackClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9"),
            MaxAttempts = 1,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        });
        using var chat = new ScriptedChatClient("fine").AsBuilder().UseFeedbackCapture(offline).Build();

        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);
        await offline.FlushAsync();

        Assert.Equal("fine", response.Text);
        Assert.NotNull(response.GetFeedbackTurn());
        Assert.Equal(1, offline.Dropped);
    }

    private sealed class Unprintable
    {
        public override string ToString() => throw new FormatException("no text for this");
    }
}
