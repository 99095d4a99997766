using System.Numerics.Tensors;
using Feedback.Analytics.Embeddings;

namespace Feedback.Analytics.Topics;

/// <summary>
/// What kind of failure a complaint is about, as probabilities over the kinds of training/topics/complaints.jsonl
/// (wrong dates, broken code, a refusal, an answer too long...). A general-purpose sentence encoder places two
/// complaints by what they talk about (a flight, a Python script); a topic of complaint is what went wrong. So a
/// turn is compared with the labelled complaints: per kind, the mean similarity of its <see cref="K"/> nearest
/// ones, turned into probabilities by a softmax at temperature <see cref="Temperature"/>. A turn is the unit-length
/// sum of the embeddings of the user's words and of the answer (the answer shows the failure the words only point
/// at: "it's a friday" means little without "Christmas 2026 falls on a Saturday"). The labelled complaints'
/// vectors ship in the assembly (half precision), written by <c>feedback train-topics</c> (training/Feedback.Training).
/// </summary>
public sealed class ComplaintKinds
{
    /// <summary>Nearest labelled complaints per kind; chosen on the development sets (3: NMI 0.62, 7: 0.69).</summary>
    public const int K = 7;

    /// <summary>Softmax temperature over the kinds' similarities.</summary>
    public const float Temperature = 0.02f;

    private const string Magic = "FBKINDS2";
    private const string Resource = "Topics/complaint-kinds.bin";

    private static readonly Lazy<ComplaintKinds> ShippedKinds = new(() =>
    {
        using var stream = typeof(ComplaintKinds).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The assembly lacks {Resource}.");
        return Read(stream);
    });

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["app-failure"] = "the app failed (no answer, error, lost chat)",
        ["bad-recommendation"] = "recommendations that do not fit",
        ["bad-summary"] = "summaries that miss or distort the text",
        ["biased"] = "one-sided or biased answers",
        ["code-errors"] = "code that does not compile or run",
        ["contradiction"] = "contradicts itself",
        ["creative-quality"] = "flat or clichéd creative writing",
        ["dates-times"] = "wrong dates, times or time zones",
        ["fake-sources"] = "invented sources and citations",
        ["forgot-context"] = "forgot what was said before",
        ["formatting"] = "broken formatting",
        ["grammar-spelling"] = "spelling and grammar mistakes",
        ["ignored-instructions"] = "ignored the user's instructions",
        ["invented-api"] = "invented functions, options or commands",
        ["math"] = "calculation mistakes",
        ["misunderstood"] = "answered a different question",
        ["off-topic-extras"] = "unwanted extras",
        ["outdated"] = "out-of-date information",
        ["refusal"] = "refused a harmless request",
        ["repetitive"] = "repeats itself",
        ["sycophancy"] = "agrees with anything",
        ["tone"] = "preachy or condescending tone",
        ["too-long"] = "answers far too long",
        ["too-short"] = "answers too short or cut off",
        ["translation"] = "translation mistakes",
        ["unsafe-advice"] = "unsafe advice",
        ["vague"] = "vague, generic answers",
        ["wrong-facts"] = "wrong facts",
    };

    private readonly LabelledNeighbours complaints;

    /// <summary>Built from labelled complaints (Feedback.Training) or read from a file.</summary>
    internal ComplaintKinds(IReadOnlyList<string> kinds, LabelledNeighbours complaints) => (Kinds, this.complaints) = (kinds, complaints);

    /// <summary>The labelled complaints' vectors (for the test that compares the shipped file with a rebuild).</summary>
    internal IReadOnlyList<float[]> LabelledVectors => complaints.Vectors;

    /// <summary>The kinds, in the order of a probability vector.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>The model that ships in the assembly.</summary>
    public static ComplaintKinds Shipped => ShippedKinds.Value;

    /// <summary>The probability of each kind (in <see cref="Kinds"/> order) for each turn.</summary>
    public IReadOnlyList<float[]> Probabilities(IReadOnlyList<TurnText> texts, ISentenceEmbedder embedder)
    {
        var turns = Vectors(texts, embedder).ToArray();
        var result = new float[turns.Length][];
        Parallel.For(0, turns.Length, t => result[t] = Probabilities(turns[t]));
        return result;
    }

    /// <summary>A readable name of a kind ("wrong dates or times"), for topic labels.</summary>
    public static string Describe(string kind) => Descriptions.GetValueOrDefault(kind) ?? kind.Replace('-', ' ');

    private float[] Probabilities(float[] turn)
    {
        var scores = complaints.MeanOfNearest(turn, K, none: -1);
        TensorPrimitives.Divide(scores, Temperature, scores);
        TensorPrimitives.Subtract(scores, TensorPrimitives.Max<float>(scores), scores); // no overflow at any temperature
        TensorPrimitives.SoftMax(scores, scores);
        return scores;
    }

    public void Write(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Kinds.Count);
        foreach (var kind in Kinds) writer.Write(kind);
        complaints.Write(writer);
    }

    public static ComplaintKinds Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic) throw new InvalidDataException("Not a complaint kinds model.");
        var kinds = Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadString()).ToList();
        return new ComplaintKinds(kinds, LabelledNeighbours.Read(reader, kinds.Count));
    }

    /// <summary>Each turn as one unit vector: the user's words and the answer, as training embeds the labelled complaints.</summary>
    internal static IEnumerable<float[]> Vectors(IReadOnlyList<TurnText> texts, ISentenceEmbedder embedder)
    {
        var embedded = embedder.Embed(texts.Select(t => t.Feedback).Concat(texts.Select(t => TextOpening.Of(t.Response))).ToList());
        return texts.Select((_, i) =>
        {
            var vector = (float[])embedded[texts.Count + i].Clone();
            if (texts[i].Feedback.Length > 0) TensorPrimitives.Add(embedded[i], vector, vector); // a thumb down without words: the answer alone
            var norm = TensorPrimitives.Norm<float>(vector);
            if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
            return vector;
        });
    }
}
