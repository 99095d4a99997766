using Feedback.AI;
using Feedback.Events;
using Microsoft.Extensions.AI;

namespace Feedback.Tests.Sdk;

/// <summary>Captured chat turns through the real ingest into the embedded store: every event passes the real validation.</summary>
[Collection(SharedStore.Name)]
public sealed class ChatCaptureEndToEndTests(EmbeddedStore store)
{
    [Fact]
    public async Task A_captured_conversation_with_feedback_is_stored_whole()
    {
        var (project, key) = await store.NewProjectAsync();
        await using var host = await store.StartHostAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Feedback:Endpoint"] = host.Urls.First();
        builder.Configuration["Feedback:WriteKey"] = key;
        builder.AddFeedback();
        builder.Services.AddChatClient(new ScriptedChatClient("Sydney.", "Sorry: Canberra.")).UseFeedbackCapture();

        FeedbackClient feedback;
        using (var app = builder.Build())
        {
            var chat = app.Services.GetRequiredService<IChatClient>();
            feedback = app.Services.GetRequiredService<FeedbackClient>();
            var options = new ChatOptions { Instructions = "Answer in one word." }.WithFeedback(userId: "u-e2e");
            List<ChatMessage> history = [new(ChatRole.User, "Capital of Australia?")];
            var first = await chat.GetResponseAsync(history, options);
            feedback.TrackReaction(first.GetFeedbackTurn()!.Value, Reaction.ThumbsDown);
            history.AddMessages(first);
            history.Add(new ChatMessage(ChatRole.User, "No, that's wrong."));
            List<ChatResponseUpdate> updates = [];
            await foreach (var u in chat.GetStreamingResponseAsync(history, options)) updates.Add(u);
            feedback.TrackEdit(updates.ToChatResponse().GetFeedbackTurn()!.Value, "Canberra.");
            await ((IAsyncDisposable)app).DisposeAsync();
        }

        Assert.Equal((5, 0, 0), (feedback.Sent, feedback.Rejected, feedback.Dropped));
        var kinds = await store.Engine.QueryAsync<KindRow>("SELECT kind FROM events FINAL WHERE project = {project:String} ORDER BY kind", new { project });
        Assert.Equal([EventKinds.Edit, EventKinds.FollowUp, EventKinds.Reaction, EventKinds.Turn, EventKinds.Turn], kinds.Select(k => k.Kind));
    }

    private sealed record KindRow(string Kind);
}
