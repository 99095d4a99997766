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
