// A console chat captured by Feedback: two lines of setup, one middleware line, then a scripted
// conversation with the signals users give anyway (a regenerate, a thumbs up, an edit, follow-ups).
//
//   dotnet run --project cli/Feedback.Cli                       # the server; prints a write key on first start
//   dotnet run --project samples/Feedback.Sample.Chat -- --key fbw_… [--endpoint http://127.0.0.1:8400]
//
// The key and endpoint may also come from Feedback__WriteKey / Feedback__Endpoint (docs/sdk.md).
using Feedback;
using Feedback.AI;
using Feedback.Sample.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--key"] = "Feedback:WriteKey",
    ["--endpoint"] = "Feedback:Endpoint",
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);

builder.AddFeedback();
builder.Services.AddChatClient(new CannedChatClient()).UseFeedbackCapture();

FeedbackClient feedback;
using (var host = builder.Build())
{
    var chat = host.Services.GetRequiredService<IChatClient>();
    feedback = host.Services.GetRequiredService<FeedbackClient>();
    var options = new ChatOptions { Instructions = "You are a helpful assistant." }
        .WithFeedback(userId: "sample-user", sessionId: "sample-" + Guid.CreateVersion7().ToString("N")[..8]);
    List<ChatMessage> history = [];

    // 1. A wrong answer, regenerated; the new answer gets a thumbs up.
    var wrong = await Ask("What is the capital of Australia?");
    history.RemoveAt(history.Count - 1); // regenerate: drop the answer and ask again
    var right = await Ask(null);
    feedback.TrackRegenerate(wrong.GetFeedbackTurn()!.Value, right.GetFeedbackTurn()!.Value);
    feedback.TrackReaction(right.GetFeedbackTurn()!.Value, Reaction.ThumbsUp);
    Console.WriteLine("  [user regenerated the first answer, then gave the new one a thumbs up]");

    // 2. The next message is recorded as the previous answer's follow-up by the middleware; the user edits this answer.
    var invite = await Ask("Write a one-line invite to Friday's team lunch.", stream: true);
    feedback.TrackEdit(invite.GetFeedbackTurn()!.Value, "Team lunch this Friday at 12:30 in the park, see you there!");
    feedback.TrackCopy(invite.GetFeedbackTurn()!.Value);
    Console.WriteLine("  [user edited the invite and copied it]");

    await Ask("Thanks!");

    // Disposing the host disposes the client, which sends what is left.
    await ((IAsyncDisposable)host).DisposeAsync();

    async Task<ChatResponse> Ask(string? message, bool stream = false)
    {
        if (message is not null)
        {
            history.Add(new ChatMessage(ChatRole.User, message));
            Console.WriteLine($"user> {message}");
        }
        Console.Write("assistant> ");
        ChatResponse response;
        if (stream)
        {
            List<ChatResponseUpdate> updates = [];
            await foreach (var update in chat.GetStreamingResponseAsync(history, options))
            {
                Console.Write(update.Text);
                updates.Add(update);
            }
            response = updates.ToChatResponse();
            Console.WriteLine();
        }
        else
        {
            response = await chat.GetResponseAsync(history, options);
            Console.WriteLine(response.Text);
        }
        history.AddMessages(response);
        Console.WriteLine($"  (turn {response.GetFeedbackTurn()?.TurnId})");
        return response;
    }
}

Console.WriteLine($"Feedback: {feedback.Sent} events sent, {feedback.Rejected} rejected, {feedback.Dropped} dropped.");
return feedback.Sent > 0 && feedback.Rejected == 0 && feedback.Dropped == 0 ? 0 : 1;
