using Feedback.Events;

namespace Feedback.Tests.Mining;

/// <summary>Events as the loader stores them, written straight into the events table by mining tests.</summary>
internal static class StoredEvents
{
    public static FeedbackEvent Turn(
        string project, string turnId, DateTimeOffset? at = null, string prompt = "What is the capital of Australia?",
        string response = "The capital of Australia is Canberra.", string userId = "u1", string modelVersion = "v1") =>
        FeedbackOn(project, EventKinds.Turn, turnId, e =>
        {
            e.Request = [new RequestMessage("user", prompt)];
            e.Response = response;
            e.Model = "m";
            e.ModelVersion = modelVersion;
            e.UserId = userId;
        }, at);

    /// <summary>
    /// An event of conversation <paramref name="conversation"/> (user <c>u-</c>…, session <c>s-</c>…) that happened at
    /// <paramref name="at"/> and arrives now: incremental mining finds it by its arrival, however old its time.
    /// </summary>
    public static FeedbackEvent InConversation(
        string project, string conversation, string kind, string turnId, DateTimeOffset at, Action<FeedbackEvent> fill) =>
        FeedbackOn(project, kind, turnId, e =>
        {
            e.ConversationId = conversation;
            e.UserId = "u-" + conversation;
            e.SessionId = "s-" + conversation;
            e.ReceivedAt = DateTimeOffset.UtcNow;
            fill(e);
        }, at);

    public static FeedbackEvent FeedbackOn(string project, string kind, string turnId, Action<FeedbackEvent> fill, DateTimeOffset? at = null)
    {
        var time = at ?? DateTimeOffset.UtcNow;
        var e = new FeedbackEvent
        {
            EventId = Guid.CreateVersion7(),
            Kind = kind,
            Project = project,
            Timestamp = time,
            ReceivedAt = time,
            UserId = "u1",
            SessionId = "s1",
            ConversationId = "c1",
            TurnId = turnId,
        };
        fill(e);
        return e;
    }
}
