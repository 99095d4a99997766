using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Feedback.Analytics.Embeddings;

/// <summary>
/// Dynamic int8 quantization of an ONNX graph's weight matrices, done in memory when the model is loaded: every
/// MatMul whose second input is a constant 2-D float matrix becomes ONNX Runtime's com.microsoft DynamicQuantizeMatMul,
/// which quantizes its activations per call (uint8, one scale per tensor) and multiplies them by the int8 weights with
/// integer instructions (VNNI where the CPU has it). In MiniLM those matrices are almost all of the arithmetic, so
/// this is where the time goes; the embedding tables (Gather), layer norms and softmax stay float. On a CPU without
/// VNNI, ONNX Runtime's uint8 × int8 kernels can saturate 16-bit intermediate sums, so vectors there may move further
/// from the float ones than measured here (docs/benchmarks.md).
/// </summary>
internal static class Int8MatMuls
{
    private const string MicrosoftDomain = "com.microsoft";

    /// <summary>The model with its constant-weight MatMuls made int8; the input is not changed.</summary>
    public static byte[] Quantize(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        Quantize(proto.Graph);
        if (!proto.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        return proto.ToByteArray();
    }

    /// <summary>The float MatMuls of a model whose second input is a constant matrix: what <see cref="Quantize(byte[])"/> rewrites.</summary>
    public static int FloatMatMulsWithConstantWeights(byte[] model)
    {
        var graph = ModelProto.Parser.ParseFrom(model).Graph;
        var weights = graph.Initializer.ToDictionary(t => t.Name);
        return graph.Node.Count(n => ConstantWeight(n, weights) is not null);
    }

    private static void Quantize(GraphProto graph)
    {
        var weights = graph.Initializer.ToDictionary(t => t.Name);
        var quantized = new Dictionary<string, (string Weight, string Scale, string ZeroPoint)>();
        var biasAdds = new List<(NodeProto MatMul, NodeProto Add)>();
        foreach (var node in graph.Node)
        {
            if (ConstantWeight(node, weights) is not { } weight) continue;
            // A matrix shared by several MatMuls is quantized once.
            if (!quantized.TryGetValue(weight.Name, out var names))
            {
                names = (weight.Name + "_int8", weight.Name + "_scale", weight.Name + "_zero_point");
                graph.Initializer.Add(PerColumn(weight, names));
                quantized[weight.Name] = names;
            }
            if (BiasAdd(graph, node, weight.Dims[1], weights) is { } add) biasAdds.Add((node, add));
            var activations = node.Input[0];
            node.Input.Clear();
            node.Input.Add([activations, names.Weight, names.Scale, names.ZeroPoint]);
            node.OpType = "DynamicQuantizeMatMul";
            node.Domain = MicrosoftDomain;
        }
        // A constant bias added to the product joins the op as its bias input: added as each output is written,
        // instead of one more pass over the whole product.
        foreach (var (node, add) in biasAdds)
        {
            node.Input.Add(add.Input[0] == node.Output[0] ? add.Input[1] : add.Input[0]);
            node.Output[0] = add.Output[0];
            graph.Node.Remove(add);
        }
        // The float matrices are read by nothing now (a weight some other node reads is kept).
        var stillRead = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var name in quantized.Keys.Where(n => !stillRead.Contains(n)))
            graph.Initializer.Remove(weights[name]);
    }

    // The Add that is the product's only reader and adds a constant vector of one value per column, if there is one.
    private static NodeProto? BiasAdd(GraphProto graph, NodeProto matMul, long columns, Dictionary<string, TensorProto> weights)
    {
        var product = matMul.Output[0];
        var readers = graph.Node.Where(n => n.Input.Contains(product)).ToList();
        if (readers is not [{ OpType: "Add", Domain: "" } add] || add.Input.Count != 2 || graph.Output.Any(o => o.Name == product)) return null;
        var other = add.Input[0] == product ? add.Input[1] : add.Input[0];
        return weights.TryGetValue(other, out var bias) && bias.DataType == (int)TensorProto.Types.DataType.Float
            && bias.Dims.Count == 1 && bias.Dims[0] == columns
            ? add
            : null;
    }

    private static TensorProto? ConstantWeight(NodeProto node, Dictionary<string, TensorProto> weights) =>
        node.OpType == "MatMul" && node.Domain.Length == 0 && node.Input.Count == 2
            && weights.TryGetValue(node.Input[1], out var weight)
            && weight.DataType == (int)TensorProto.Types.DataType.Float && weight.Dims.Count == 2
            ? weight
            : null;

    // Symmetric per output column: column n is scaled by its largest magnitude / 127, so one large weight spoils only
    // its own column, and a zero point of 0 keeps the integer product exact to the int32 accumulator. -128 is not
    // used, so the range is symmetric.
    private static IEnumerable<TensorProto> PerColumn(TensorProto weight, (string Weight, string Scale, string ZeroPoint) names)
    {
        var rows = (int)weight.Dims[0];
        var columns = (int)weight.Dims[1];
        var values = weight.RawData.IsEmpty ? weight.FloatData.ToArray() : MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray();
        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++) scales[c] = MathF.Max(scales[c], MathF.Abs(values[r * columns + c]));
        for (var c = 0; c < columns; c++) scales[c] = scales[c] > 0 ? scales[c] / 127 : 1;
        var integers = new sbyte[values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                integers[r * columns + c] = (sbyte)Math.Clamp(MathF.Round(values[r * columns + c] / scales[c]), -127, 127);
        yield return Tensor(names.Weight, TensorProto.Types.DataType.Int8, [rows, columns], MemoryMarshal.AsBytes(integers.AsSpan()));
        yield return Tensor(names.Scale, TensorProto.Types.DataType.Float, [columns], MemoryMarshal.AsBytes(scales.AsSpan()));
        yield return Tensor(names.ZeroPoint, TensorProto.Types.DataType.Int8, [columns], new byte[columns]);
    }

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, long[] dims, ReadOnlySpan<byte> data)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}
