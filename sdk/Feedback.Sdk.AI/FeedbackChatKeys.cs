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
