namespace Feedback;

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
