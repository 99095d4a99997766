using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Feedback.Sample.Chat;

/// <summary>
/// Stands in for a real model (no network, no weights): answers the last user message from a fixed table,
/// and gives a different answer each time the same message is asked again, as a regenerate would.
/// </summary>
internal sealed class CannedChatClient : IChatClient
{
    private static readonly Dictionary<string, string[]> Answers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["What is the capital of Australia?"] = ["The capital of Australia is Sydney.", "The capital of Australia is Canberra."],
        ["Write a one-line invite to Friday's team lunch."] = ["Team lunch on Friday at noon, see you there!"],
        ["Thanks!"] = ["You're welcome."],
    };

    private readonly Dictionary<string, int> asked = new(StringComparer.OrdinalIgnoreCase);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var answer = Answer(messages);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = "canned-1",
            FinishReason = ChatFinishReason.Stop,
            Usage = Usage(messages, answer),
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var answer = Answer(messages);
        var words = answer.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            await Task.Delay(30, cancellationToken); // a visible stream
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]) { ModelId = "canned-1", MessageId = "answer" };
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, MessageId = "answer", Contents = [new UsageContent(Usage(messages, answer))] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("canned", null, "canned-1") : null;

    public void Dispose() { }

    private string Answer(IEnumerable<ChatMessage> messages)
    {
        var question = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        if (!Answers.TryGetValue(question, out var answers)) return "I don't know.";
        lock (asked)
        {
            var n = asked.GetValueOrDefault(question);
            asked[question] = n + 1;
            return answers[n % answers.Length];
        }
    }

    // Words, roughly: good enough for a sample.
    private static UsageDetails Usage(IEnumerable<ChatMessage> messages, string answer) => new()
    {
        InputTokenCount = messages.Sum(m => m.Text.Split(' ').Length),
        OutputTokenCount = answer.Split(' ').Length,
    };
}
