namespace Feedback;

/// <summary>
/// What the user saw when giving feedback: where the answer stood, what else was shown, whether the feedback
/// control was in view. Reactions cluster on what is shown first and on visible controls; recording this lets the
/// data be corrected for position and exposure bias later.
/// </summary>
public sealed record DisplayContext
{
    /// <summary>0-based position of the answer in the list the user saw.</summary>
    public int? Position { get; init; }

    /// <summary>Every answer shown at the time, in display order.</summary>
    public IReadOnlyList<TurnRef>? Shown { get; init; }

    /// <summary>Whether the feedback control was visible without the user looking for it.</summary>
    public bool? ControlVisible { get; init; }

    /// <summary>Pipeline stage the feedback is about (e.g. "retrieval"), when the app can tell.</summary>
    public string? Stage { get; init; }
}
