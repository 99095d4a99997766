namespace Feedback;

/// <summary>A reaction to a turn: a thumb, an emoji, or a rating on a scale.</summary>
public sealed record Reaction
{
    private Reaction() { }

    /// <summary>The thumb (<c>"up"</c> or <c>"down"</c>), or null.</summary>
    public string? Thumb { get; private init; }

    /// <summary>The emoji, or null.</summary>
    public string? Emoji { get; private init; }

    /// <summary>The rating, or null.</summary>
    public double? Rating { get; private init; }

    /// <summary>The top of the rating's scale, or null.</summary>
    public double? Scale { get; private init; }

    /// <summary>Thumbs up.</summary>
    public static Reaction ThumbsUp { get; } = new() { Thumb = Events.Thumbs.Up };

    /// <summary>Thumbs down.</summary>
    public static Reaction ThumbsDown { get; } = new() { Thumb = Events.Thumbs.Down };

    /// <summary>An emoji reaction, such as "🎉".</summary>
    public static Reaction WithEmoji(string emoji) => new() { Emoji = emoji };

    /// <summary>A rating such as 4 of 5.</summary>
    public static Reaction Rated(double rating, double scale) => new() { Rating = rating, Scale = scale };
}
