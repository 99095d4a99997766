using System.Text;
using System.Text.Json;
using Feedback.Analytics.Loading;
using Feedback.Events;

namespace Feedback.Tests.Kafka;

/// <summary>
/// Which messages the loader may pass to the engine as they are: the ones ingest writes. Any other goes the old
/// way (read as an event, written again, or dead-lettered with its reason).
/// </summary>
public sealed class EventMessageTests
{
    private const string Plain = """{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00.123+00:00"}""";

    private static FeedbackEvent Full() => new()
    {
        EventId = Guid.CreateVersion7(),
        Kind = EventKinds.Turn,
        Project = "p",
        Timestamp = new DateTimeOffset(2026, 11, 1, 12, 30, 45, 123, TimeSpan.FromHours(2)),
        ReceivedAt = DateTimeOffset.UtcNow,
        UserId = "user ü",
        ConversationId = "c",
        TurnId = "t1",
        Request = [new RequestMessage("system", "be brief\ttabs\nand \"quotes\" \\ backslash"), new RequestMessage("user", "hi 🎉 \u0001")],
        Response = "<b>hello</b> 😀",
        LatencyMs = 12,
        Metadata = new Dictionary<string, string> { ["k"] = "v", ["topic"] = "code" },
        Rating = 4.5,
        RatingScale = 5,
        AlternativeTurnIds = ["a", "b"],
        DisplayPosition = 0,
        ControlVisible = true,
        EvaluationScore = 0.1 + 0.2,
        EvaluationFailed = false,
    };

    [Fact]
    public void An_event_as_ingest_writes_it_is_plain_with_its_timestamp()
    {
        var e = Full();

        Assert.True(EventMessage.IsPlain(JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options), out var timestamp));
        Assert.Equal(e.Timestamp, timestamp);
        Assert.True(EventMessage.IsPlain(Encoding.UTF8.GetBytes(Plain), out _));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{not json", "not JSON")]
    [InlineData("""{"kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00"}""", "no event_id")]
    [InlineData("""{"event_id":"00000000-0000-0000-0000-000000000000","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00"}""", "empty event_id")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"nope","project":"p","timestamp":"2026-11-22T10:00:00+00:00"}""", "unknown kind")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"","timestamp":"2026-11-22T10:00:00+00:00"}""", "empty project")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p"}""", "no timestamp")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2500-01-01T00:00:00+00:00"}""", "timestamp out of range")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00"}""", "timestamp without offset")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22 10:00:00Z"}""", "timestamp not ISO")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","x":1}""", "unknown field")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","kind":"edit"}""", "field twice")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","response":null}""", "null")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","latency_ms":"12"}""", "number as a string")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","latency_ms":12.0}""", "int spelled as a real")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","rating":4.50}""", "real not as .NET writes it")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","rating":1e400}""", "infinite rating")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","response":5}""", "number for text")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","request":"a prompt"}""", "request as a prompt string")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","request":[["user","hi"]]}""", "request as tuples")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","request":[{"role":"user","content":"hi","x":1}]}""", "request message with more")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","metadata":{"k":"a","k":"b"}}""", "metadata key twice")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","response":"\ud800"}""", "escaped lone surrogate")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","response":"\udc00\ud800x"}""", "escaped surrogates in the wrong order")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00","\u0072esponse":"x"}""", "escaped field name")]
    [InlineData("""{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00"} {"kind":"edit"}""", "two objects")]
    [InlineData("""[{"event_id":"01930000-0000-7000-8000-000000000001","kind":"turn","project":"p","timestamp":"2026-11-22T10:00:00+00:00"}]""", "not an object")]
    public void A_message_the_engine_could_read_otherwise_than_the_loader_is_not_plain(string message, string why)
    {
        Assert.False(EventMessage.IsPlain(Encoding.UTF8.GetBytes(message), out _), why);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_not_plain()
    {
        var bytes = Encoding.UTF8.GetBytes(Plain.Replace("\"p\"", "\"p?\"", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xC3; // a lead byte with no continuation

        Assert.False(EventMessage.IsPlain(bytes, out _));
    }

    [Fact]
    public void Escaped_text_that_reads_as_valid_unicode_is_plain()
    {
        var escaped = Plain.Replace("}", ""","response":"\u00fc \/ \ud83c\udf89 \" \\ \n"}""", StringComparison.Ordinal);

        Assert.True(EventMessage.IsPlain(Encoding.UTF8.GetBytes(escaped), out _));
    }

    [Fact]
    public void Every_message_that_is_plain_reads_as_a_valid_event()
    {
        var e = Full();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(e, FeedbackJson.Options);

        var (read, reason) = EventLoader.Parse(bytes);

        Assert.Null(reason);
        Assert.Equal(Encoding.UTF8.GetString(bytes), JsonSerializer.Serialize(read, FeedbackJson.Options)); // written again, the same bytes
    }
}
