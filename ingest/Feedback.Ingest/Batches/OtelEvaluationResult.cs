using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Feedback.Events;

namespace Feedback.Ingest.Batches;

/// <summary>
/// Reads an OpenTelemetry GenAI <c>gen_ai.evaluation.result</c> event, sent in a batch as a JSON object with its
/// OpenTelemetry attribute names (docs/events.md, "OpenTelemetry evaluation results"), as an <c>evaluation</c> event.
/// The mapped event is then validated like any other.
/// </summary>
public static class OtelEvaluationResult
{
    public const string EventName = "gen_ai.evaluation.result";

    public const string NameAttribute = "gen_ai.evaluation.name";
    public const string ScoreAttribute = "gen_ai.evaluation.score.value";
    public const string LabelAttribute = "gen_ai.evaluation.score.label";
    public const string ExplanationAttribute = "gen_ai.evaluation.explanation";
    public const string ResponseIdAttribute = "gen_ai.response.id";
    public const string ConversationIdAttribute = "gen_ai.conversation.id";

    /// <summary>Names the Feedback turn when the app's turn ids are not the model's response ids.</summary>
    public const string TurnIdAttribute = "feedback.turn_id";

    public const string UserIdAttribute = "user.id";
    public const string SessionIdAttribute = "session.id";

    /// <summary>Whether the object is such an event: <c>"name": "gen_ai.evaluation.result"</c> and no <c>kind</c>.</summary>
    public static bool Matches(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && !element.TryGetProperty("kind", out _)
        && element.TryGetProperty("name", out var name)
        && name.ValueKind == JsonValueKind.String
        && name.ValueEquals(EventName);

    /// <summary>The evaluation event, or why the object cannot be one.</summary>
    public static (FeedbackEvent? Event, string? Reason) Read(JsonElement element)
    {
        if (!element.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
            return (null, $"a {EventName} event needs an \"attributes\" object");
        if (!element.TryGetProperty("timestamp", out var time) || !time.TryGetDateTimeOffset(out var timestamp))
            return (null, $"a {EventName} event needs \"timestamp\" (ISO 8601)");

        var e = new FeedbackEvent { Kind = EventKinds.Evaluation, Timestamp = timestamp };
        var reason = String(attributes, NameAttribute, v => e.EvaluationName = v)
            ?? String(attributes, LabelAttribute, v => e.EvaluationLabel = v)
            ?? String(attributes, ExplanationAttribute, v => e.EvaluationReason = v)
            ?? String(attributes, ResponseIdAttribute, v => e.TurnId = v)
            ?? String(attributes, TurnIdAttribute, v => e.TurnId = v) // after the response id: it wins
            ?? String(attributes, ConversationIdAttribute, v => e.ConversationId = v)
            ?? String(attributes, UserIdAttribute, v => e.UserId = v)
            ?? String(attributes, SessionIdAttribute, v => e.SessionId = v)
            ?? Score(attributes, e);
        if (reason is not null) return (null, reason);
        if (string.IsNullOrEmpty(e.EvaluationName)) return (null, $"{NameAttribute} is required");
        if (string.IsNullOrEmpty(e.TurnId)) return (null, $"{ResponseIdAttribute} (or {TurnIdAttribute}) is required: the turn the result is about");

        if (element.TryGetProperty("event_id", out var id))
        {
            if (id.ValueKind != JsonValueKind.String || !id.TryGetGuid(out var given)) return (null, "event_id must be a UUID");
            e.EventId = given;
        }
        e.EventId ??= DerivedId(e);
        return (e, null);
    }

    /// <summary>
    /// OpenTelemetry events have no id: without an <c>event_id</c>, the id is a hash of the result, so the same
    /// result sent again is one row, as a resent event is.
    /// </summary>
    public static Guid DerivedId(FeedbackEvent e)
    {
        var text = string.Join('\n',
            EventName, e.TurnId, e.ConversationId, e.UserId, e.SessionId, e.EvaluationName,
            e.Timestamp?.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.EvaluationScore?.ToString("R", CultureInfo.InvariantCulture), e.EvaluationLabel, e.EvaluationReason);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (RFC 9562: a custom, here name-derived, UUID)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // the RFC variant
        return new Guid(bytes, bigEndian: true);
    }

    private static string? String(JsonElement attributes, string name, Action<string> set)
    {
        if (!attributes.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) return $"{name} must be a string";
        set(value.GetString()!);
        return null;
    }

    private static string? Score(JsonElement attributes, FeedbackEvent e)
    {
        if (!attributes.TryGetProperty(ScoreAttribute, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number) return $"{ScoreAttribute} must be a number";
        if (!value.TryGetDouble(out var score) || !double.IsFinite(score)) return $"{ScoreAttribute} is out of range";
        e.EvaluationScore = score;
        return null;
    }
}
