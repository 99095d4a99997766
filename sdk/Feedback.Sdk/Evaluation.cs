namespace Feedback;

/// <summary>
/// An evaluator's result on a turn (one <c>evaluation</c> event): an automated judge's score, label or verdict, kept
/// apart from user feedback. Give at least one of <see cref="Score"/>, <see cref="Label"/>, <see cref="Failed"/> or
/// <see cref="Rating"/>; otherwise the server rejects the event.
/// </summary>
public sealed record Evaluation
{
    /// <summary>The metric, e.g. "Relevance", "Coherence", "Groundedness".</summary>
    public required string Name { get; init; }

    /// <summary>A numeric result on the evaluator's own scale.</summary>
    public double? Score { get; init; }

    /// <summary>A categorical result, e.g. "relevant".</summary>
    public string? Label { get; init; }

    /// <summary>Whether the evaluator judged the answer a failure.</summary>
    public bool? Failed { get; init; }

    /// <summary>One of <see cref="Events.EvaluationRatings"/> (e.g. "good", "poor").</summary>
    public string? Rating { get; init; }

    /// <summary>The evaluator's explanation; redacted like every free text.</summary>
    public string? Reason { get; init; }
}
