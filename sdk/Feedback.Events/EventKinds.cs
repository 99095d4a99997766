namespace Feedback.Events;

/// <summary>The kinds of event in model v1 (docs/events.md).</summary>
public static class EventKinds
{
    /// <summary>One model answer.</summary>
    public const string Turn = "turn";

    /// <summary>Thumbs, emoji or rating on a turn.</summary>
    public const string Reaction = "reaction";

    /// <summary>The user's edited version of the answer.</summary>
    public const string Edit = "edit";

    /// <summary>The user's next message after the answer.</summary>
    public const string FollowUp = "follow_up";

    /// <summary>The user asked for a new answer.</summary>
    public const string Regenerate = "regenerate";

    /// <summary>The user picked one of several answers shown.</summary>
    public const string Choice = "choice";

    /// <summary>The user copied the answer or a part of it.</summary>
    public const string Copy = "copy";

    /// <summary>An evaluator's result on a turn (a score, label or verdict of an automated judge), not user feedback.</summary>
    public const string Evaluation = "evaluation";

    /// <summary>Every kind above; any other kind is rejected by the server.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Turn, Reaction, Edit, FollowUp, Regenerate, Choice, Copy, Evaluation,
    };
}
