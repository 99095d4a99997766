using Feedback.Analytics.Embeddings;

namespace Feedback.Tests.Topics;

/// <summary>An encoder that counts the texts it is asked to embed (the real one does the work).</summary>
public sealed class CountingEmbedder(ISentenceEmbedder encoder) : ISentenceEmbedder
{
    private int embedded;

    public int Texts => Volatile.Read(ref embedded);

    public string Model => encoder.Model;

    public int Dimensions => encoder.Dimensions;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
    {
        Interlocked.Add(ref embedded, texts.Count);
        return encoder.Embed(texts);
    }
}
