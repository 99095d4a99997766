namespace Feedback.AI;

/// <summary>Settings of the capture middleware (<see cref="FeedbackChatClient"/>).</summary>
public sealed class FeedbackCaptureOptions
{
    /// <summary>The user id of requests that name none and continue no recorded turn.</summary>
    public string DefaultUserId { get; set; } = "anonymous";

    /// <summary>The session id of requests that name none and continue no recorded turn; null: one new id per middleware instance.</summary>
    public string? DefaultSessionId { get; set; }

    /// <summary>The model recorded when neither the response, the options nor the client name one.</summary>
    public string DefaultModel { get; set; } = "unknown";

    /// <summary>
    /// How many recent turns are remembered by the text of their answer, to link the next request when its history was
    /// rebuilt from text (the message objects, which carry the turn, were not kept). Older turns are forgotten first.
    /// </summary>
    public int RecentTurns { get; set; } = 10_000;
}
