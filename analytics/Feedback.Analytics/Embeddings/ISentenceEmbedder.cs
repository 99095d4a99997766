namespace Feedback.Analytics.Embeddings;

/// <summary>Turns texts into unit-length vectors whose dot product is their semantic similarity.</summary>
public interface ISentenceEmbedder
{
    /// <summary>The encoder's name: vectors of different encoders are not comparable.</summary>
    string Model { get; }

    int Dimensions { get; }

    /// <summary>One vector per text, in input order. Thread-safe.</summary>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts);
}
