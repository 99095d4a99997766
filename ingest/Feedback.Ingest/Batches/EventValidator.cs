using Feedback.Events;

namespace Feedback.Ingest.Batches;

/// <summary>Checks one event against model v1; returns the reason it is rejected, or null when it is valid.</summary>
public sealed class EventValidator(IngestOptions limits, TimeProvider clock)
{
    public string? Validate(FeedbackEvent e)
    {
        if (e.EventId is null || e.EventId == Guid.Empty) return "event_id is required (a UUID, v7 recommended)";
        if (string.IsNullOrEmpty(e.Kind)) return "kind is required";
        if (!EventKinds.All.Contains(e.Kind))
            return $"unknown kind '{Truncate(e.Kind)}'; expected one of {string.Join(", ", EventKinds.All)}";
        if (e.Timestamp is null) return "timestamp is required";
        if (e.Timestamp > clock.GetUtcNow() + limits.MaxClockSkew) return "timestamp is in the future";
        if (e.Timestamp < new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)) return "timestamp is before 2000";

        // An evaluator may know only the turn it scored: the turn event carries the user, session and conversation.
        var evaluation = e.Kind == EventKinds.Evaluation;
        return (evaluation ? Short(e.UserId, "user_id") : Required(e.UserId, "user_id"))
            ?? (evaluation ? Short(e.SessionId, "session_id") : Required(e.SessionId, "session_id"))
            ?? (evaluation ? Short(e.ConversationId, "conversation_id") : Required(e.ConversationId, "conversation_id"))
            ?? (e.Kind == EventKinds.Choice ? Short(e.TurnId, "turn_id") : Required(e.TurnId, "turn_id"))
            ?? Short(e.Project, "project")
            ?? Short(e.PreviousTurnId, "previous_turn_id")
            ?? Short(e.Model, "model")
            ?? Short(e.ModelVersion, "model_version")
            ?? Short(e.PromptTemplate, "prompt_template")
            ?? Short(e.Thumb, "thumb")
            ?? Short(e.Emoji, "emoji")
            ?? Short(e.NewTurnId, "new_turn_id")
            ?? Short(e.ChosenTurnId, "chosen_turn_id")
            ?? Short(e.Stage, "stage")
            ?? Short(e.EvaluationName, "evaluation_name")
            ?? Short(e.EvaluationLabel, "evaluation_label")
            ?? Short(e.EvaluationRating, "evaluation_rating")
            ?? Display(e)
            ?? Text(e.Response, "response")
            ?? Text(e.Comment, "comment")
            ?? Text(e.EditedResponse, "edited_response")
            ?? Text(e.Message, "message")
            ?? Text(e.CopiedText, "copied_text")
            ?? Text(e.EvaluationReason, "evaluation_reason")
            ?? NonNegative(e.LatencyMs, "latency_ms")
            ?? NonNegative(e.InputTokens, "input_tokens")
            ?? NonNegative(e.OutputTokens, "output_tokens")
            ?? Metadata(e.Metadata)
            ?? Finite(e.Rating, "rating")
            ?? Finite(e.RatingScale, "rating_scale")
            ?? Finite(e.EvaluationScore, "evaluation_score")
            ?? Unicode(e)
            ?? Kind(e);
    }

    private string? Kind(FeedbackEvent e) => e.Kind switch
    {
        EventKinds.Turn => Request(e.Request)
            ?? (e.Response is null ? "a turn needs response" : null)
            ?? (string.IsNullOrEmpty(e.Model) ? "a turn needs model" : null),
        EventKinds.Reaction => Reaction(e),
        EventKinds.Edit => e.EditedResponse is null ? "an edit needs edited_response" : null,
        EventKinds.FollowUp => string.IsNullOrEmpty(e.Message) ? "a follow_up needs message" : null,
        EventKinds.Regenerate => Required(e.NewTurnId, "new_turn_id"),
        EventKinds.Choice => Choice(e),
        EventKinds.Evaluation => Evaluation(e),
        _ => null, // copy: turn_id is enough; copied_text is optional
    };

    private string? Request(IReadOnlyList<RequestMessage>? request)
    {
        if (request is null || request.Count == 0) return "a turn needs request (a prompt string or a list of messages)";
        if (request.Count > limits.MaxRequestMessages) return $"request has more than {limits.MaxRequestMessages} messages";
        foreach (var m in request)
        {
            if (m.Role.Length == 0 || m.Role.Length > limits.MaxIdLength) return "each request message needs a role of at most " + limits.MaxIdLength + " characters";
            if (m.Content.Length > limits.MaxTextLength) return $"a request message is longer than {limits.MaxTextLength} characters";
        }
        return null;
    }

    private static string? Reaction(FeedbackEvent e)
    {
        var given = (e.Thumb is null ? 0 : 1) + (e.Emoji is null ? 0 : 1) + (e.Rating is null ? 0 : 1);
        if (given != 1) return "a reaction needs exactly one of thumb, emoji, rating";
        if (e.Thumb is not null and not Thumbs.Up and not Thumbs.Down) return "thumb must be 'up' or 'down'";
        if (e.Emoji is { Length: 0 }) return "emoji must not be empty";
        if (e.Rating is not null)
        {
            if (e.RatingScale is null or <= 0 || !double.IsFinite(e.RatingScale.Value)) return "a rating needs a positive rating_scale (e.g. 5 for 4 of 5)";
            if (!double.IsFinite(e.Rating.Value) || e.Rating < 0 || e.Rating > e.RatingScale) return "rating must be between 0 and rating_scale";
        }
        return null;
    }

    private string? Choice(FeedbackEvent e)
    {
        if (e.AlternativeTurnIds is null || e.AlternativeTurnIds.Count < 2) return "a choice needs alternative_turn_ids with at least two ids";
        if (e.AlternativeTurnIds.Count > limits.MaxRequestMessages) return $"a choice has more than {limits.MaxRequestMessages} alternatives";
        if (e.AlternativeTurnIds.Any(id => string.IsNullOrEmpty(id) || id.Length > limits.MaxIdLength)) return "alternative_turn_ids holds an empty or too long id";
        if (string.IsNullOrEmpty(e.ChosenTurnId)) return "a choice needs chosen_turn_id";
        if (!e.AlternativeTurnIds.Contains(e.ChosenTurnId)) return "chosen_turn_id must be one of alternative_turn_ids";
        return null;
    }

    private static string? Evaluation(FeedbackEvent e)
    {
        if (string.IsNullOrEmpty(e.EvaluationName)) return "an evaluation needs evaluation_name (e.g. Relevance)";
        if (e.EvaluationScore is null && string.IsNullOrEmpty(e.EvaluationLabel) && e.EvaluationFailed is null && string.IsNullOrEmpty(e.EvaluationRating))
            return "an evaluation needs at least one of evaluation_score, evaluation_label, evaluation_failed, evaluation_rating";
        if (!string.IsNullOrEmpty(e.EvaluationRating) && !EvaluationRatings.All.Contains(e.EvaluationRating))
            return $"evaluation_rating must be one of {string.Join(", ", EvaluationRatings.All)}";
        return null;
    }

    private string? Display(FeedbackEvent e)
    {
        if (e.DisplayPosition is < 0 or > ushort.MaxValue) return $"display_position must be between 0 and {ushort.MaxValue}";
        if (e.DisplayedTurnIds is null) return null;
        if (e.DisplayedTurnIds.Count > limits.MaxRequestMessages) return $"displayed_turn_ids has more than {limits.MaxRequestMessages} ids";
        return e.DisplayedTurnIds.Any(id => string.IsNullOrEmpty(id) || id.Length > limits.MaxIdLength) ? "displayed_turn_ids holds an empty or too long id" : null;
    }

    private string? Metadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null) return null;
        if (metadata.Count > limits.MaxMetadataEntries) return $"metadata has more than {limits.MaxMetadataEntries} entries";
        foreach (var (key, value) in metadata)
        {
            if (key.Length == 0 || key.Length > limits.MaxIdLength) return $"a metadata key is empty or longer than {limits.MaxIdLength} characters";
            if (value is null) return $"metadata '{Truncate(key)}' is null; values are strings";
            if (value.Length > limits.MaxMetadataValueLength) return $"metadata '{Truncate(key)}' is longer than {limits.MaxMetadataValueLength} characters";
        }
        return null;
    }

    private string? Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? $"{field} is required" : Short(value, field);

    private string? Short(string? value, string field) =>
        value is not null && value.Length > limits.MaxIdLength ? $"{field} is longer than {limits.MaxIdLength} characters" : null;

    private string? Text(string? value, string field) =>
        value is not null && value.Length > limits.MaxTextLength ? $"{field} is longer than {limits.MaxTextLength} characters" : null;

    // Checked for every kind, not only reactions: a number that overflowed to infinity cannot be stored or sent on.
    private static string? Finite(double? value, string field) =>
        value is { } v && !double.IsFinite(v) ? $"{field} is out of range" : null;

    // The JSON reader refuses invalid UTF-8 and escaped lone surrogates; this is the guard that no string it let
    // through can fail later, when the event is written to the store or to Kafka.
    private static string? Unicode(FeedbackEvent e)
    {
        IEnumerable<string?> strings =
        [
            e.Kind, e.Project, e.UserId, e.SessionId, e.ConversationId, e.TurnId, e.Stage, e.PreviousTurnId, e.Response, e.Model,
            e.ModelVersion, e.PromptTemplate, e.Thumb, e.Emoji, e.Comment, e.EditedResponse, e.Message, e.NewTurnId, e.ChosenTurnId, e.CopiedText,
            e.EvaluationName, e.EvaluationLabel, e.EvaluationRating, e.EvaluationReason,
            .. e.DisplayedTurnIds ?? [], .. e.AlternativeTurnIds ?? [],
            .. (e.Request ?? []).SelectMany(m => new[] { m.Role, m.Content }),
            .. (e.Metadata ?? new Dictionary<string, string>()).SelectMany(m => new[] { m.Key, m.Value }),
        ];
        return strings.Any(s => s is not null && !IsValidUnicode(s)) ? "a string is not valid Unicode (a lone surrogate)" : null;
    }

    private static bool IsValidUnicode(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsSurrogate(s[i])) continue;
            if (!char.IsHighSurrogate(s[i]) || i + 1 == s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
            i++;
        }
        return true;
    }

    private static string? NonNegative(int? value, string field) => value < 0 ? $"{field} must not be negative" : null;

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
