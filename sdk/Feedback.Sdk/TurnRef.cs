namespace Feedback;

/// <summary>Identifies a turn and who it belongs to; every feedback call takes one. Store it next to the message in your UI.</summary>
public readonly record struct TurnRef(string UserId, string SessionId, string ConversationId, string TurnId);

/// <summary>A model answer to record (one <c>turn</c> event).</summary>
public sealed record Turn
{
    /// <summary>Pseudonymous user id: never an e-mail or a name.</summary>
    public required string UserId { get; init; }

    /// <summary>The session the turn belongs to.</summary>
    public required string SessionId { get; init; }

    /// <summary>The conversation the turn belongs to.</summary>
    public required string ConversationId { get; init; }

    /// <summary>The user's prompt; or give <see cref="Messages"/> for a whole request.</summary>
    public string? Prompt { get; init; }

    /// <summary>The whole request as role and content messages; or give <see cref="Prompt"/>.</summary>
    public IReadOnlyList<Events.RequestMessage>? Messages { get; init; }

    /// <summary>The model's answer.</summary>
    public required string Response { get; init; }

    /// <summary>The model that answered.</summary>
    public required string Model { get; init; }

    /// <summary>The model's version, for comparing versions.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The turn's id; generated when not given.</summary>
    public string? TurnId { get; init; }

    /// <summary>The turn this one continues, if any.</summary>
    public string? PreviousTurnId { get; init; }

    /// <summary>Name or version of the prompt template used.</summary>
    public string? PromptTemplate { get; init; }

    /// <summary>Pipeline stage (e.g. "retrieval", "generation") for apps whose answers pass through stages.</summary>
    public string? Stage { get; init; }

    /// <summary>Milliseconds from the request to the whole answer.</summary>
    public int? LatencyMs { get; init; }

    /// <summary>Tokens in the request.</summary>
    public int? InputTokens { get; init; }

    /// <summary>Tokens in the answer.</summary>
    public int? OutputTokens { get; init; }

    /// <summary>Free string metadata (at most 64 entries).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

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
