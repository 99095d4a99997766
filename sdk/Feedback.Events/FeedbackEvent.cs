namespace Feedback.Events;

/// <summary>
/// One event, flat: the fields common to every kind, then each kind's own (docs/events.md).
/// The same shape is the wire format (snake_case JSON) and the row of the <c>events</c> table,
/// so nothing is mapped twice.
/// </summary>
public sealed class FeedbackEvent
{
    // Common to every kind.
    public Guid? EventId { get; set; }
    public string? Kind { get; set; }
    public string? Project { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public DateTimeOffset? ReceivedAt { get; set; }
    public string? UserId { get; set; }
    public string? SessionId { get; set; }
    public string? ConversationId { get; set; }

    /// <summary>For a turn, its own id; for feedback, the turn the feedback is about.</summary>
    public string? TurnId { get; set; }

    /// <summary>Pipeline stage the turn or feedback belongs to (e.g. retrieval, generation), for apps that have stages.</summary>
    public string? Stage { get; set; }

    // Display context of feedback: what the user saw, to measure and correct position and exposure bias.

    /// <summary>0-based position of the answer in the list the user saw.</summary>
    public int? DisplayPosition { get; set; }

    /// <summary>Turn ids of every answer shown at the time, in display order.</summary>
    public IReadOnlyList<string>? DisplayedTurnIds { get; set; }

    /// <summary>Whether the feedback control (thumbs, rating) was visible without the user looking for it.</summary>
    public bool? ControlVisible { get; set; }

    // turn
    public string? PreviousTurnId { get; set; }
    public IReadOnlyList<RequestMessage>? Request { get; set; }
    public string? Response { get; set; }
    public string? Model { get; set; }
    public string? ModelVersion { get; set; }
    public string? PromptTemplate { get; set; }
    public int? LatencyMs { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }
    public IReadOnlyDictionary<string, string>? Metadata { get; set; }

    // reaction: exactly one of thumb, emoji, rating (with rating_scale)
    public string? Thumb { get; set; }
    public string? Emoji { get; set; }
    public double? Rating { get; set; }
    public double? RatingScale { get; set; }
    public string? Comment { get; set; }

    // edit
    public string? EditedResponse { get; set; }

    // follow_up
    public string? Message { get; set; }

    // regenerate: turn_id is the old answer, new_turn_id the new one
    public string? NewTurnId { get; set; }

    // choice
    public IReadOnlyList<string>? AlternativeTurnIds { get; set; }
    public string? ChosenTurnId { get; set; }

    // copy
    public string? CopiedText { get; set; }

    // evaluation: an evaluator's result, never a user's (docs/events.md). At least one of score, label, failed, rating.

    /// <summary>The metric or evaluator, e.g. "Relevance", "Coherence", "Groundedness".</summary>
    public string? EvaluationName { get; set; }

    public double? EvaluationScore { get; set; }

    /// <summary>A categorical result, e.g. "relevant" (OpenTelemetry's gen_ai.evaluation.score.label).</summary>
    public string? EvaluationLabel { get; set; }

    /// <summary>One of <see cref="EvaluationRatings.All"/> (Microsoft.Extensions.AI.Evaluation's interpretation).</summary>
    public string? EvaluationRating { get; set; }

    /// <summary>Whether the evaluator judged the answer a failure.</summary>
    public bool? EvaluationFailed { get; set; }

    /// <summary>The evaluator's explanation.</summary>
    public string? EvaluationReason { get; set; }
}

/// <summary>One message of a turn's request. A plain prompt string is read as one user message.</summary>
public sealed record RequestMessage(string Role, string Content);

/// <summary>Thumb values of a reaction.</summary>
public static class Thumbs
{
    public const string Up = "up";
    public const string Down = "down";
}
