namespace Feedback.Events;

/// <summary>
/// One event, flat: the fields common to every kind, then each kind's own (docs/events.md).
/// The same shape is the wire format (snake_case JSON) and the row of the <c>events</c> table,
/// so nothing is mapped twice.
/// </summary>
public sealed class FeedbackEvent
{
    // Common to every kind.
    /// <summary>Made by the client (the SDK uses UUIDv7); re-sending the same id never makes a second copy.</summary>
    public Guid? EventId { get; set; }

    /// <summary>One of <see cref="EventKinds"/>.</summary>
    public string? Kind { get; set; }

    /// <summary>Set by the server from the write key.</summary>
    public string? Project { get; set; }

    /// <summary>When it happened, by the client's clock.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>Set by the server; ignored when sent.</summary>
    public DateTimeOffset? ReceivedAt { get; set; }

    /// <summary>Pseudonymous user id: never an e-mail or a name.</summary>
    public string? UserId { get; set; }

    /// <summary>The session the event belongs to.</summary>
    public string? SessionId { get; set; }

    /// <summary>The conversation the event belongs to.</summary>
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
    /// <summary>The turn this one continues, if any.</summary>
    public string? PreviousTurnId { get; set; }

    /// <summary>What the model was sent, as role and content messages.</summary>
    public IReadOnlyList<RequestMessage>? Request { get; set; }

    /// <summary>The model's answer.</summary>
    public string? Response { get; set; }

    /// <summary>The model that answered.</summary>
    public string? Model { get; set; }

    /// <summary>The model's version, for comparing versions.</summary>
    public string? ModelVersion { get; set; }

    /// <summary>Name or version of the prompt template used.</summary>
    public string? PromptTemplate { get; set; }

    /// <summary>Milliseconds from the request to the whole answer.</summary>
    public int? LatencyMs { get; set; }

    /// <summary>Tokens in the request.</summary>
    public int? InputTokens { get; set; }

    /// <summary>Tokens in the answer.</summary>
    public int? OutputTokens { get; set; }

    /// <summary>Free string metadata of a turn (at most 64 entries).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; set; }

    // reaction: exactly one of thumb, emoji, rating (with rating_scale)
    /// <summary>A reaction's thumb: <see cref="Thumbs.Up"/> or <see cref="Thumbs.Down"/>.</summary>
    public string? Thumb { get; set; }

    /// <summary>A reaction's emoji.</summary>
    public string? Emoji { get; set; }

    /// <summary>A reaction's rating, between 0 and <see cref="RatingScale"/>.</summary>
    public double? Rating { get; set; }

    /// <summary>The top of the rating's scale (e.g. 5).</summary>
    public double? RatingScale { get; set; }

    /// <summary>Free text the user wrote with a reaction.</summary>
    public string? Comment { get; set; }

    // edit
    /// <summary>The answer as the user edited it.</summary>
    public string? EditedResponse { get; set; }

    // follow_up
    /// <summary>The user's next message after the answer.</summary>
    public string? Message { get; set; }

    // regenerate: turn_id is the old answer, new_turn_id the new one
    /// <summary>The new answer's turn id (<see cref="TurnId"/> is the replaced one).</summary>
    public string? NewTurnId { get; set; }

    // choice
    /// <summary>Turn ids of the answers shown to choose from (at least two).</summary>
    public IReadOnlyList<string>? AlternativeTurnIds { get; set; }

    /// <summary>The turn id the user chose, one of <see cref="AlternativeTurnIds"/>.</summary>
    public string? ChosenTurnId { get; set; }

    // copy
    /// <summary>The text the user copied, when known.</summary>
    public string? CopiedText { get; set; }

    // evaluation: an evaluator's result, never a user's (docs/events.md). At least one of score, label, failed, rating.

    /// <summary>The metric or evaluator, e.g. "Relevance", "Coherence", "Groundedness".</summary>
    public string? EvaluationName { get; set; }

    /// <summary>A numeric result (OpenTelemetry's gen_ai.evaluation.score.value); its scale is the evaluator's.</summary>
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
