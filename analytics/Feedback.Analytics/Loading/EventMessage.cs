using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Feedback.Events;

namespace Feedback.Analytics.Loading;

/// <summary>
/// Recognises an event message in the form ingest writes (<see cref="FeedbackJson"/>): one JSON object whose every
/// property is an event field, once, of its exact JSON type and spelling, never null, with the fields the loader
/// requires present and valid. Such a message holds exactly what reading it as a <see cref="FeedbackEvent"/> and
/// writing it again would, so the loader passes its bytes to the engine as they are. Anything else (another
/// producer's spelling, a doubtful value) is not plain, and the loader reads it with <see cref="EventLoader.Parse"/>
/// as before, which stores it or dead-letters it with its reason.
/// </summary>
public static class EventMessage
{
    private enum Shape
    {
        String,
        EventId,
        Kind,
        Project,
        Timestamp,
        ReceivedAt,
        Int,
        Double,
        Bool,
        Strings,
        Request,
        Map,
    }

    private const int MaxMapEntries = 64;

    // Every property of FeedbackEvent as the serializer names it, in declaration order (the order ingest writes).
    private static readonly (byte[] Name, Shape Shape)[] Fields = FieldsOf();

    private static readonly ulong Required = Mask("event_id") | Mask("kind") | Mask("project") | Mask("timestamp");

    private static readonly byte[][] Kinds = [.. EventKinds.All.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Whether <paramref name="value"/> may go to the engine as it is; its <c>timestamp</c> when it may.</summary>
    public static bool IsPlain(ReadOnlySpan<byte> value, out DateTimeOffset timestamp)
    {
        timestamp = default;
        // The reader does not check UTF-8 inside strings; reading as an event would fail on it.
        if (value.IsEmpty || !Utf8.IsValid(value)) return false;
        try
        {
            return Read(value, ref timestamp);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Read(ReadOnlySpan<byte> value, ref DateTimeOffset timestamp)
    {
        var reader = new Utf8JsonReader(value);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        ulong seen = 0;
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped) return false;
            var field = Find(reader.ValueSpan, next);
            if (field < 0 || (seen & (1UL << field)) != 0) return false; // unknown (ignored by the reader, not by the engine) or twice
            seen |= 1UL << field;
            next = field + 1;
            if (!reader.Read() || !Value(ref reader, value, Fields[field].Shape, ref timestamp)) return false;
        }
        // The object is done, and nothing follows it (the reader throws on a second value).
        return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && (seen & Required) == Required;
    }

    // Ingest writes the fields in declaration order, so the search starts after the previous one.
    private static int Find(ReadOnlySpan<byte> name, int start)
    {
        for (var i = 0; i < Fields.Length; i++)
        {
            var at = (start + i) % Fields.Length;
            if (name.SequenceEqual(Fields[at].Name)) return at;
        }
        return -1;
    }

    private static bool Value(ref Utf8JsonReader reader, ReadOnlySpan<byte> message, Shape shape, ref DateTimeOffset timestamp)
    {
        switch (shape)
        {
            case Shape.String:
                return Text(ref reader);
            case Shape.EventId:
                return reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                    && reader.TryGetGuid(out var id) && id != Guid.Empty;
            case Shape.Kind:
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return false;
                foreach (var kind in Kinds)
                {
                    if (reader.ValueSpan.SequenceEqual(kind)) return true;
                }
                return false;
            case Shape.Project:
                return Text(ref reader) && reader.ValueSpan.Length > 0;
            case Shape.Timestamp:
                if (!Instant(ref reader, out timestamp)) return false;
                return timestamp >= StoreRange.MinTimestamp && timestamp <= StoreRange.MaxTimestamp;
            case Shape.ReceivedAt:
                return Instant(ref reader, out _);
            case Shape.Int:
                return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) && Canonical(reader.ValueSpan, number);
            case Shape.Double:
                return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var real) && double.IsFinite(real) && Canonical(reader.ValueSpan, real);
            case Shape.Bool:
                return reader.TokenType is JsonTokenType.True or JsonTokenType.False;
            case Shape.Strings:
                if (reader.TokenType != JsonTokenType.StartArray) return false;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!Text(ref reader)) return false;
                }
                return true;
            case Shape.Request:
                return Request(ref reader);
            case Shape.Map:
                return Map(ref reader, message);
            default:
                return false;
        }
    }

    // [{"role": "...", "content": "..."}, ...]: both keys once, nothing else (the reader also takes a prompt string
    // or ClickHouse's [role, content] arrays, which the engine reads differently or not at all).
    private static bool Request(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) return false;
            bool role = false, content = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped) return false;
                ref var slot = ref role;
                if (reader.ValueSpan.SequenceEqual("content"u8)) slot = ref content;
                else if (!reader.ValueSpan.SequenceEqual("role"u8)) return false;
                if (slot || !reader.Read() || !Text(ref reader)) return false;
                slot = true;
            }
            if (!role || !content) return false;
        }
        return true;
    }

    // {"key": "value", ...}: a key twice would be one entry when read, two in the engine's Map.
    private static bool Map(ref Utf8JsonReader reader, ReadOnlySpan<byte> message)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        Span<(int Start, int Length)> keys = stackalloc (int, int)[MaxMapEntries];
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped || count == MaxMapEntries) return false;
            var key = reader.ValueSpan;
            foreach (var (start, length) in keys[..count])
            {
                if (message.Slice(start, length).SequenceEqual(key)) return false;
            }
            keys[count++] = ((int)reader.TokenStartIndex + 1, key.Length); // after the opening quote
            if (!reader.Read() || !Text(ref reader)) return false;
        }
        return true;
    }

    // A string the reader can turn into .NET text: no escaped lone surrogate (the UTF-8 itself is checked whole).
    private static bool Text(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && (!reader.ValueIsEscaped || !HasLoneSurrogate(reader.ValueSpan));

    private static bool HasLoneSurrogate(ReadOnlySpan<byte> raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\') continue;
            if (raw[i + 1] != 'u')
            {
                i++;
                continue;
            }
            var unit = Hex(raw.Slice(i + 2, 4));
            i += 5;
            if (unit is >= 0xDC00 and <= 0xDFFF) return true;
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 6 >= raw.Length || raw[i + 1] != '\\' || raw[i + 2] != 'u') return true;
                var low = Hex(raw.Slice(i + 3, 4));
                if (low is < 0xDC00 or > 0xDFFF) return true;
                i += 6;
            }
        }
        return false;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var unit = 0;
        foreach (var d in digits) unit = (unit << 4) | (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        return unit;
    }

    // yyyy-MM-ddTHH:mm:ss[.f{1,7}](Z|±HH:mm): ISO 8601 with its offset, as written; the engine and .NET read it the
    // same. Without an offset .NET would take the machine's time zone and the engine UTC.
    private static bool Instant(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return false;
        var s = reader.ValueSpan;
        if (s.Length < 20 || !Digits(s[..4]) || s[4] != '-' || !Digits(s.Slice(5, 2)) || s[7] != '-' || !Digits(s.Slice(8, 2))
            || s[10] != 'T' || !Digits(s.Slice(11, 2)) || s[13] != ':' || !Digits(s.Slice(14, 2)) || s[16] != ':' || !Digits(s.Slice(17, 2)))
            return false;
        var rest = s[19..];
        if (rest[0] == '.')
        {
            var fraction = 1;
            while (fraction < rest.Length && char.IsAsciiDigit((char)rest[fraction])) fraction++;
            if (fraction is < 2 or > 8) return false;
            rest = rest[fraction..];
        }
        var offset = rest.Length == 1 && rest[0] == 'Z'
            || rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && Digits(rest.Slice(1, 2)) && rest[3] == ':' && Digits(rest.Slice(4, 2));
        return offset && reader.TryGetDateTimeOffset(out value);
    }

    private static bool Digits(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (!char.IsAsciiDigit((char)b)) return false;
        }
        return true;
    }

    // A number as .NET writes it, so the engine reads the very value reading and writing the event would give.
    private static bool Canonical<T>(ReadOnlySpan<byte> token, T number)
        where T : IUtf8SpanFormattable
    {
        Span<byte> written = stackalloc byte[32];
        return number.TryFormat(written, out var length, default, CultureInfo.InvariantCulture) && token.SequenceEqual(written[..length]);
    }

    private static (byte[] Name, Shape Shape)[] FieldsOf()
    {
        var fields = FeedbackJson.Options.GetTypeInfo(typeof(FeedbackEvent)).Properties
            .Select(p => (Encoding.UTF8.GetBytes(p.Name), ShapeOf(p.Name, p.PropertyType)))
            .ToArray();
        return fields.Length <= 64 ? fields : throw new InvalidOperationException("EventMessage tracks at most 64 event fields");
    }

    private static Shape ShapeOf(string name, Type type) => (name, type) switch
    {
        ("event_id", _) => Shape.EventId,
        ("kind", _) => Shape.Kind,
        ("project", _) => Shape.Project,
        ("timestamp", _) => Shape.Timestamp,
        (_, _) when type == typeof(DateTimeOffset?) => Shape.ReceivedAt,
        (_, _) when type == typeof(string) => Shape.String,
        (_, _) when type == typeof(int?) => Shape.Int,
        (_, _) when type == typeof(double?) => Shape.Double,
        (_, _) when type == typeof(bool?) => Shape.Bool,
        (_, _) when type == typeof(IReadOnlyList<string>) => Shape.Strings,
        (_, _) when type == typeof(IReadOnlyList<RequestMessage>) => Shape.Request,
        (_, _) when type == typeof(IReadOnlyDictionary<string, string>) => Shape.Map,
        // A new field of another type must get a check here before messages holding it can pass through.
        _ => throw new InvalidOperationException($"EventMessage does not know how to check {name} ({type})"),
    };

    private static ulong Mask(string name) => 1UL << Array.FindIndex(Fields, f => f.Name.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(name)));
}
