using System.Runtime.InteropServices;
using System.Text;

namespace Feedback.Analytics.Store.ChDb;

/// <summary>Query parameters as the C API takes them: arrays of UTF-8 names and values with their lengths, in native memory.</summary>
internal sealed unsafe class NativeParameters : IDisposable
{
    private readonly List<IntPtr> blocks = [];

    public NativeParameters(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var n = parameters.Count;
        Count = (nuint)n;
        Names = (byte**)Alloc(Math.Max(n, 1) * sizeof(byte*));
        Values = (byte**)Alloc(Math.Max(n, 1) * sizeof(byte*));
        NameLengths = (nuint*)Alloc(Math.Max(n, 1) * sizeof(nuint));
        ValueLengths = (nuint*)Alloc(Math.Max(n, 1) * sizeof(nuint));
        for (var i = 0; i < n; i++)
        {
            Names[i] = Copy(parameters[i].Key, out NameLengths[i]);
            Values[i] = Copy(parameters[i].Value, out ValueLengths[i]);
        }
    }

    public byte** Names { get; }

    public nuint* NameLengths { get; }

    public byte** Values { get; }

    public nuint* ValueLengths { get; }

    public nuint Count { get; }

    private byte* Copy(string text, out nuint length)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var native = (byte*)Alloc(Math.Max(bytes.Length, 1));
        bytes.CopyTo(new Span<byte>(native, bytes.Length));
        length = (nuint)bytes.Length;
        return native;
    }

    private void* Alloc(int bytes)
    {
        var block = NativeMemory.Alloc((nuint)bytes);
        blocks.Add((IntPtr)block);
        return block;
    }

    public void Dispose()
    {
        foreach (var block in blocks) NativeMemory.Free((void*)block);
        blocks.Clear();
    }
}
