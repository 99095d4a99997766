namespace Feedback.Events;

/// <summary>The kinds of event in model v1 (docs/events.md).</summary>
public static class EventKinds
{
    public const string Turn = "turn";
    public const string Reaction = "reaction";
    public const string Edit = "edit";
    public const string FollowUp = "follow_up";
    public const string Regenerate = "regenerate";
    public const string Choice = "choice";
    public const string Copy = "copy";

    /// <summary>An evaluator's result on a turn (a score, label or verdict of an automated judge), not user feedback.</summary>
    public const string Evaluation = "evaluation";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Turn, Reaction, Edit, FollowUp, Regenerate, Choice, Copy, Evaluation,
    };
}
