using Microsoft.Extensions.AI;

namespace Feedback.AI;

/// <summary>
/// Keys the capture middleware reads from <see cref="ChatOptions.AdditionalProperties"/> (and removes before the
/// request goes on, so they never reach the model provider), and the key it writes the turn under.
/// </summary>
public static class FeedbackChatKeys
{
    /// <summary>Pseudonymous id of the user (string). Default: the previous turn's, else <see cref="FeedbackCaptureOptions.DefaultUserId"/>.</summary>
    public const string UserId = "feedback.user_id";

    /// <summary>Id of the app session (string). Default: the previous turn's, else one id per middleware instance.</summary>
    public const string SessionId = "feedback.session_id";

    /// <summary>Id of the conversation (string). Default: <see cref="ChatOptions.ConversationId"/>, the previous turn's, else a new id.</summary>
    public const string ConversationId = "feedback.conversation_id";

    /// <summary>The id to give this turn, e.g. the app's own message id (string). Default: a new UUIDv7.</summary>
    public const string TurnId = "feedback.turn_id";

    /// <summary>Name of the prompt template behind the request (string).</summary>
    public const string PromptTemplate = "feedback.prompt_template";

    /// <summary>The <see cref="TurnRef"/> of a recorded turn, on the response, each of its messages and each streamed update.</summary>
    public const string Turn = "feedback.turn";

    internal static readonly string[] Inputs = [UserId, SessionId, ConversationId, TurnId, PromptTemplate];
}

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
