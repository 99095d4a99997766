namespace Feedback.Analytics.Embeddings;

/// <summary>
/// The opening of a request or an answer, as it is embedded: what a text is about shows early, and the encoder's
/// cost grows with the length. One cut for every reader, so an answer the follow-up classifier embedded is found in
/// the embedder's cache when the topic job reads the same turn.
/// </summary>
public static class TextOpening
{
    public const int Chars = 300;

    public static string Of(string text) => text.Length <= Chars ? text : text[..Chars];
}
