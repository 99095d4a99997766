using System.Numerics.Tensors;
using Feedback.Analytics.Embeddings;

namespace Feedback.Tests.Embeddings;

/// <summary>
/// The int8 model the encoder runs by default: every constant-weight MatMul rewritten, and vectors close to the float
/// model's (measured over 2,000 first-sight texts: cosine mean 0.992, min 0.981, docs/benchmarks.md; the texts of one
/// to three word pieces move most, to 0.959 here: "no", "ok", "meh").
/// </summary>
public sealed class Int8MatMulsTests
{
    private static readonly string[] Texts =
    [
        "ok", "thanks!! 🙏", "no", "x", "that's wrong, the capital is canberra",
        "no i meant the formal one, for a letter to my landlord",
        "the answer was far too long and never got to the point",
        "def add(a, b): return a + b  # crashes with a TypeError, you have to convert it",
        "Berlin is 7 hours ahead of Chicago, so 9:00 AM Saturday in Berlin is 2:00 AM Saturday in Chicago.",
        "you converted the meeting to the wrong time zone again, it's 3pm in Tokyo not 3am",
        "this code doesn't even compile, there's no method called ToListAsync on that type",
        "The French translation says 'je suis plein' which means something else entirely",
        "why won't you just tell me how to kill a python process? it's my own server",
        "I checked and that paper by Smith et al. 2019 does not exist",
        "way too verbose. three paragraphs for a yes/no question",
        "Could you explain recursion again but simpler?",
        "perfect, exactly what I needed",
        "Can you give me a recipe for banana bread without eggs?",
        "SELECT * FROM users WHERE id = 1; -- why is this slow on 10M rows",
        "Das ist falsch, die Hauptstadt ist Bern.",
        "¿Puedes traducir esto al inglés, por favor?",
        "meh",
        "!!!!!!!",
        "1234567890",
        "The mitochondria is the powerhouse of the cell.",
        "Summarise the attached report in three bullet points for the board meeting on Monday.",
        "you said 2+2=5",
        "stop apologising and answer the question",
        "the date you gave is a Sunday, not a Monday",
        "Here is a haiku: autumn moonlight / a worm digs silently / into the chestnut",
        "install failed: error CS0246: The type or namespace name 'Newtonsoft' could not be found",
        "hmm not sure that's right but ok",
        string.Join(' ', Enumerable.Repeat("the answer was far too long and never got to the point", 12)),
        string.Join(" ", Enumerable.Repeat("hello world", 400)), // past the model's 512 positions
    ];

    [Fact]
    public void The_int8_vectors_are_within_a_small_angle_of_the_float_ones()
    {
        var floats = new MiniLmEncoder(quantized: false).Encode(Texts);
        var int8 = new MiniLmEncoder().Encode(Texts); // the default

        var cosines = floats.Zip(int8, Dot).ToArray();
        Assert.All(cosines.Select((c, i) => (c, i)), x => Assert.True(x.c >= 0.95f, $"text {x.i}: cosine {x.c:0.0000}"));
        Assert.True(cosines.Average() >= 0.98f, $"mean cosine {cosines.Average():0.0000}");
        // Not the float model under another name: quantization moves every vector a little.
        Assert.True(cosines.Average() < 0.9999f, $"mean cosine {cosines.Average():0.000000}");
        // Still one vector per text, not one for all.
        Assert.True(Dot(int8[0], int8[4]) < 0.9f);
    }

    [Fact]
    public void No_float_MatMul_with_a_constant_weight_is_left()
    {
        var model = MiniLmEncoder.PackageModel();

        var quantized = Int8MatMuls.Quantize(model);

        Assert.True(Int8MatMuls.FloatMatMulsWithConstantWeights(model) >= 36); // 6 layers × (Q, K, V, output, 2 feed-forward)
        Assert.Equal(0, Int8MatMuls.FloatMatMulsWithConstantWeights(quantized));
        Assert.True(quantized.Length < model.Length * 0.7, $"{quantized.Length:N0} of {model.Length:N0} bytes"); // the float matrices are gone
    }

    private static float Dot(float[] a, float[] b) => TensorPrimitives.Dot<float>(a, b);
}
