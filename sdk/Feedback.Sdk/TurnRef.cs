namespace Feedback;

/// <summary>Identifies a turn and who it belongs to; every feedback call takes one. Store it next to the message in your UI.</summary>
public readonly record struct TurnRef(string UserId, string SessionId, string ConversationId, string TurnId);

/// <summary>A model answer to record (one <c>turn</c> event).</summary>
public sealed record Turn
{
    public required string UserId { get; init; }
    public required string SessionId { get; init; }
    public required string ConversationId { get; init; }

    /// <summary>The user's prompt; or give <see cref="Messages"/> for a whole request.</summary>
    public string? Prompt { get; init; }

    public IReadOnlyList<Events.RequestMessage>? Messages { get; init; }
    public required string Response { get; init; }
    public required string Model { get; init; }
    public string? ModelVersion { get; init; }

    /// <summary>The turn's id; generated when not given.</summary>
    public string? TurnId { get; init; }

    public string? PreviousTurnId { get; init; }
    public string? PromptTemplate { get; init; }

    /// <summary>Pipeline stage (e.g. "retrieval", "generation") for apps whose answers pass through stages.</summary>
    public string? Stage { get; init; }
    public int? LatencyMs { get; init; }
    public int? InputTokens { get; init; }
    public int? OutputTokens { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>A reaction to a turn: a thumb, an emoji, or a rating on a scale.</summary>
public sealed record Reaction
{
    private Reaction() { }

    public string? Thumb { get; private init; }
    public string? Emoji { get; private init; }
    public double? Rating { get; private init; }
    public double? Scale { get; private init; }

    public static Reaction ThumbsUp { get; } = new() { Thumb = Events.Thumbs.Up };
    public static Reaction ThumbsDown { get; } = new() { Thumb = Events.Thumbs.Down };

    public static Reaction WithEmoji(string emoji) => new() { Emoji = emoji };

    /// <summary>A rating such as 4 of 5.</summary>
    public static Reaction Rated(double rating, double scale) => new() { Rating = rating, Scale = scale };
}

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
