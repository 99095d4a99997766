using Feedback.Analytics.Events;
using Feedback.Analytics.Mining;
using Feedback.Analytics.Store;
using Feedback.Events;

namespace Feedback.Tests.Reading;

/// <summary>
/// Conversations written straight into the store, with feedback whose signals are known, then derived into
/// <c>turn_signals</c> by the real job. Events carry the time given (turn time) but are received now, as a
/// late upload would be, so the signals job picks every one up.
/// </summary>
public sealed class ReadSeed(string project)
{
    private readonly List<FeedbackEvent> events = [];

    public string Project => project;

    public FeedbackEvent Turn(
        string conversationId, string turnId, DateTimeOffset at, string prompt = "What is the capital of Australia?",
        string response = "Sydney.", string model = "m", string modelVersion = "v1", string user = "u1",
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var turn = Event(EventKinds.Turn, conversationId, turnId, at, user, e =>
        {
            e.Request = [new RequestMessage("user", prompt)];
            e.Response = response;
            e.Model = model;
            e.ModelVersion = modelVersion;
            e.Metadata = metadata;
        });
        return turn;
    }

    public void ThumbUp(FeedbackEvent turn) => About(turn, EventKinds.Reaction, e => e.Thumb = Thumbs.Up);

    public void ThumbDown(FeedbackEvent turn, string comment = "") => About(turn, EventKinds.Reaction, e =>
    {
        e.Thumb = Thumbs.Down;
        e.Comment = comment;
    });

    public void Edit(FeedbackEvent turn, string edited) => About(turn, EventKinds.Edit, e => e.EditedResponse = edited);

    public void FollowUp(FeedbackEvent turn, string message) => About(turn, EventKinds.FollowUp, e => e.Message = message);

    /// <summary>Writes the events and derives their turns' signals.</summary>
    public async Task SaveAsync(IClickHouse store)
    {
        await new EventStore(store).AppendAsync(events);
        await new TurnSignalsJob(store, TimeProvider.System).DeriveAsync();
        events.Clear();
    }

    private void About(FeedbackEvent turn, string kind, Action<FeedbackEvent> fill) =>
        Event(kind, turn.ConversationId!, turn.TurnId!, turn.Timestamp!.Value.AddSeconds(5), turn.UserId!, fill);

    private FeedbackEvent Event(string kind, string conversationId, string turnId, DateTimeOffset at, string user, Action<FeedbackEvent> fill)
    {
        var e = new FeedbackEvent
        {
            EventId = Guid.CreateVersion7(),
            Kind = kind,
            Project = project,
            Timestamp = at,
            ReceivedAt = DateTimeOffset.UtcNow,
            UserId = user,
            SessionId = "s-" + conversationId,
            ConversationId = conversationId,
            TurnId = turnId,
        };
        fill(e);
        events.Add(e);
        return e;
    }
}
