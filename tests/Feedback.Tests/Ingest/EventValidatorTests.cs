using System.Text.Json;
using Feedback.Events;
using Feedback.Ingest;
using Feedback.Ingest.Batches;

namespace Feedback.Tests.Ingest;

public sealed class EventValidatorTests
{
    private readonly EventValidator validator = new(new IngestOptions(), TimeProvider.System);

    private static FeedbackEvent Valid(string kind) => new()
    {
        EventId = Guid.CreateVersion7(),
        Kind = kind,
        Timestamp = DateTimeOffset.UtcNow,
        UserId = "u",
        SessionId = "s",
        ConversationId = "c",
        TurnId = "t",
        Request = [new RequestMessage("user", "hi")],
        Response = "hello",
        Model = "m",
        Thumb = kind == EventKinds.Reaction ? Thumbs.Up : null,
        EditedResponse = kind == EventKinds.Edit ? "hey" : null,
        Message = kind == EventKinds.FollowUp ? "thanks" : null,
        NewTurnId = kind == EventKinds.Regenerate ? "t2" : null,
        AlternativeTurnIds = kind == EventKinds.Choice ? ["t", "t2"] : null,
        ChosenTurnId = kind == EventKinds.Choice ? "t2" : null,
    };

    [Theory]
    [InlineData("turn")]
    [InlineData("reaction")]
    [InlineData("edit")]
    [InlineData("follow_up")]
    [InlineData("regenerate")]
    [InlineData("choice")]
    [InlineData("copy")]
    public void Every_kind_has_a_valid_form(string kind) => Assert.Null(validator.Validate(Valid(kind)));

    [Fact]
    public void Each_kind_needs_its_own_fields()
    {
        Assert.Equal("an edit needs edited_response", validator.Validate(With(EventKinds.Edit, e => e.EditedResponse = null)));
        Assert.Equal("a follow_up needs message", validator.Validate(With(EventKinds.FollowUp, e => e.Message = "")));
        Assert.Equal("new_turn_id is required", validator.Validate(With(EventKinds.Regenerate, e => e.NewTurnId = null)));
        Assert.Equal("chosen_turn_id must be one of alternative_turn_ids", validator.Validate(With(EventKinds.Choice, e => e.ChosenTurnId = "x")));
        Assert.Equal("a turn needs model", validator.Validate(With(EventKinds.Turn, e => e.Model = null)));
        Assert.Equal("a reaction needs exactly one of thumb, emoji, rating", validator.Validate(With(EventKinds.Reaction, e => e.Emoji = "🙂")));
        Assert.Equal("thumb must be 'up' or 'down'", validator.Validate(With(EventKinds.Reaction, e => e.Thumb = "sideways")));
        Assert.Equal("rating must be between 0 and rating_scale", validator.Validate(With(EventKinds.Reaction, e => { e.Thumb = null; e.Rating = 6; e.RatingScale = 5; })));
        Assert.Null(validator.Validate(With(EventKinds.Reaction, e => { e.Thumb = null; e.Rating = 4; e.RatingScale = 5; })));
    }

    [Fact]
    public void Common_fields_are_checked()
    {
        Assert.Equal("event_id is required (a UUID, v7 recommended)", validator.Validate(With(EventKinds.Copy, e => e.EventId = null)));
        Assert.Equal("timestamp is in the future", validator.Validate(With(EventKinds.Copy, e => e.Timestamp = DateTimeOffset.UtcNow.AddDays(2))));
        Assert.Equal("conversation_id is required", validator.Validate(With(EventKinds.Copy, e => e.ConversationId = null)));
        Assert.Equal("latency_ms must not be negative", validator.Validate(With(EventKinds.Turn, e => e.LatencyMs = -1)));
        Assert.StartsWith("unknown kind 'nope'", validator.Validate(With(EventKinds.Copy, e => e.Kind = "nope")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_is_a_prompt_string_or_a_list_of_messages()
    {
        var fromString = JsonSerializer.Deserialize<FeedbackEvent>("""{"request":"hi"}""", FeedbackJson.Options)!;
        var fromList = JsonSerializer.Deserialize<FeedbackEvent>("""{"request":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}]}""", FeedbackJson.Options)!;

        Assert.Equal([new RequestMessage("user", "hi")], fromString.Request);
        Assert.Equal([new RequestMessage("system", "be brief"), new RequestMessage("user", "hi")], fromList.Request);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<FeedbackEvent>("""{"request":42}""", FeedbackJson.Options));
    }

    private static FeedbackEvent With(string kind, Action<FeedbackEvent> change)
    {
        var e = Valid(kind);
        change(e);
        return e;
    }
}
