using System.Buffers.Binary;

namespace Feedback;

/// <summary>
/// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Event ids need uniqueness, not secrecy,
/// so the random part comes from <see cref="Random.Shared"/>: <see cref="Guid.CreateVersion7()"/> draws from the
/// OS's cryptographic generator, which costs ~0.4 µs per call on the app's thread (measured, docs/benchmarks.md).
/// </summary>
internal static class Uuid7
{
    public static Guid New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteUInt64BigEndian(bytes, ms << 16); // 48-bit timestamp in bytes 0-5
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], (ulong)Random.Shared.NextInt64());
        var randA = (ushort)Random.Shared.Next(1 << 12);
        bytes[6] = (byte)(0x70 | (randA >> 8)); // version 7
        bytes[7] = (byte)randA;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // RFC variant
        return new Guid(bytes, bigEndian: true);
    }
}
