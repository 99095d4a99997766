using Microsoft.Extensions.AI;

namespace Feedback.AI;

/// <summary>Helpers to pass ids to the capture middleware and to get the recorded turn back.</summary>
public static class FeedbackChatExtensions
{
    /// <summary>Sets who the next request is from (any argument left null keeps its default). Returns <paramref name="options"/>.</summary>
    public static ChatOptions WithFeedback(this ChatOptions options, string? userId = null, string? sessionId = null, string? conversationId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AdditionalProperties ??= [];
        if (userId is not null) options.AdditionalProperties[FeedbackChatKeys.UserId] = userId;
        if (sessionId is not null) options.AdditionalProperties[FeedbackChatKeys.SessionId] = sessionId;
        if (conversationId is not null) options.AdditionalProperties[FeedbackChatKeys.ConversationId] = conversationId;
        return options;
    }

    /// <summary>The turn the middleware recorded for this response (also one rebuilt from streamed updates); null when it was not captured.</summary>
    public static TurnRef? GetFeedbackTurn(this ChatResponse response) =>
        Find(response?.AdditionalProperties)
        // ToChatResponse() moves the updates' properties onto the messages.
        ?? response?.Messages.Select(m => Find(m.AdditionalProperties)).LastOrDefault(t => t is not null);

    /// <summary>The turn this streamed update belongs to; null when it is not captured.</summary>
    public static TurnRef? GetFeedbackTurn(this ChatResponseUpdate update) => Find(update?.AdditionalProperties);

    /// <summary>The turn this message was the answer of; null when it was not captured (or its properties were not kept).</summary>
    public static TurnRef? GetFeedbackTurn(this ChatMessage message) => Find(message?.AdditionalProperties);

    private static TurnRef? Find(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(FeedbackChatKeys.Turn, out var value) && value is TurnRef turn ? turn : null;
}
