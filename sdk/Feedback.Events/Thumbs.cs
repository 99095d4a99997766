namespace Feedback.Events;

/// <summary>Thumb values of a reaction.</summary>
public static class Thumbs
{
    /// <summary>Thumbs up.</summary>
    public const string Up = "up";

    /// <summary>Thumbs down.</summary>
    public const string Down = "down";
}
