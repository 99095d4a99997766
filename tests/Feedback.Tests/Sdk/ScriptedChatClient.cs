using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Feedback.Tests.Sdk;

/// <summary>A deterministic model: answers from a script, streams word by word, reports usage; remembers what it was asked.</summary>
public sealed class ScriptedChatClient(params string[] answers) : IChatClient
{
    private int next;

    public string? ModelId { get; set; } = "scripted-1";

    public Exception? Throw { get; set; }

    /// <summary>Answers computed from the last message instead of the script.</summary>
    public Func<string, string>? Answer { get; set; }

    /// <summary>How long an answer takes (a model that hangs: longer than the caller waits).</summary>
    public TimeSpan Delay { get; set; }

    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var answer = Next(messages, options);
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 11, OutputTokenCount = answer.Split(' ').Length },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var answer = Next(messages, options);
        var words = answer.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]) { ModelId = ModelId, MessageId = "m1" };
        }
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            MessageId = "m1",
            FinishReason = ChatFinishReason.Stop,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 11, OutputTokenCount = words.Length })],
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-default") : null;

    public void Dispose() { }

    private string Next(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        Calls.Add(([.. messages], options));
        if (Throw is not null) throw Throw;
        return Answer is not null ? Answer(Calls[^1].Messages[^1].Text) : answers[next++ % answers.Length];
    }
}
