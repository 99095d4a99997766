using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Feedback.Tests.Ingest;

/// <summary>
/// Seeded generator of hostile requests for <c>POST /v1/batch</c>: mixed batches (valid events next to events
/// with one hostile field) whose valid events must be stored, and broken requests (byte flips, truncation, bad
/// envelopes, encodings, content types, keys) that must only ever get a client error.
/// </summary>
public sealed class HostileRequests(int seed)
{
    private const string Placeholder = "\"__HOSTILE__\"";

    private static readonly string[] StringFields =
        ["event_id", "kind", "user_id", "session_id", "conversation_id", "turn_id", "model", "model_version", "response", "request", "timestamp", "stage"];

    private readonly Random random = new(seed);

    /// <summary>Timestamps of valid events fall between this many days ago and now.</summary>
    public int SpreadDays { get; init; } = 20;

    /// <summary>A batch of 1–12 events, about half of them hostile; the ids of its valid events and whether each event is valid.</summary>
    public (byte[] Body, IReadOnlyList<string> ValidIds, IReadOnlyList<bool> Valid) MixedBatch()
    {
        var count = random.Next(1, 13);
        var events = new List<string>(count);
        var validIds = new List<string>();
        var valid = new List<bool>(count);
        for (var i = 0; i < count; i++)
        {
            var e = ValidEvent();
            if (random.Next(2) == 0)
            {
                validIds.Add((string)e["event_id"]!);
                valid.Add(true);
                events.Add(e.ToJsonString());
            }
            else
            {
                valid.Add(false);
                events.Add(HostileEvent(e));
            }
        }
        return (Encoding.UTF8.GetBytes("{\"events\":[").Concat(JoinUtf8(events)).Concat("]}"u8.ToArray()).ToArray(), validIds, valid);
    }

    private static byte[] JoinUtf8(List<string> events)
    {
        using var buffer = new MemoryStream();
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0) buffer.WriteByte((byte)',');
            // Hostile events carry their raw bytes as Latin-1 characters (one char per byte), valid ones as text.
            var e = events[i];
            if (e.StartsWith('\u0001')) buffer.Write(e.Skip(1).Select(c => (byte)c).ToArray());
            else buffer.Write(Encoding.UTF8.GetBytes(e));
        }
        return buffer.ToArray();
    }

    /// <summary>A valid event of a random kind, with a fresh id and text that includes non-ASCII and escaped surrogate pairs.</summary>
    public JsonObject ValidEvent()
    {
        var timestamp = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(random.NextDouble() * SpreadDays * 24 * 60);
        var e = new JsonObject
        {
            ["event_id"] = Guid.CreateVersion7().ToString(),
            ["timestamp"] = timestamp.ToString("O"),
            ["user_id"] = "u" + random.Next(100),
            ["session_id"] = "s" + random.Next(100),
            ["conversation_id"] = "c" + random.Next(1000),
            ["turn_id"] = "t" + random.Next(10000),
        };
        switch (random.Next(5))
        {
            case 0:
                e["kind"] = "turn";
                e["request"] = "Quelle est la capitale de l'Australie? 😀 " + random.Next();
                e["response"] = "Sydney — 悉尼";
                e["model"] = "m";
                e["model_version"] = "v" + random.Next(3);
                e["metadata"] = new JsonObject { ["locale"] = "fr-FR", ["emoji"] = "🎉" };
                e["latency_ms"] = random.Next(5000);
                break;
            // No edits or follow-ups: the store is shared by the whole test assembly, and the mining tests' text job
            // reads every edit and follow-up of every project (those of turns it never saw again at each run).
            case 1:
                e["kind"] = "copy";
                e["copied_text"] = "Canberra — 堪培拉 🇦🇺";
                break;
            case 2:
                e["kind"] = "reaction";
                e["rating"] = random.Next(6);
                e["rating_scale"] = 5;
                break;
            case 3:
                e["kind"] = "reaction";
                e["thumb"] = random.Next(2) == 0 ? "up" : "down";
                e["comment"] = "pas mal 👍";
                break;
            default:
                e["kind"] = "choice";
                e["alternative_turn_ids"] = new JsonArray("a", "b");
                e["chosen_turn_id"] = "b";
                break;
        }
        return e;
    }

    // One field of a valid event replaced by something no valid event holds. Returned as one char per raw byte,
    // marked by a leading \u0001, because invalid UTF-8 cannot live in a .NET string.
    private string HostileEvent(JsonObject e)
    {
        string field;
        byte[] value;
        switch (random.Next(9))
        {
            case 0: // invalid UTF-8 inside a string
                field = Pick(StringFields);
                value = [.. "\"ab"u8, .. Pick(InvalidUtf8), .. "cd\""u8];
                break;
            case 1: // a lone UTF-16 surrogate, escaped
                field = Pick(StringFields);
                value = Encoding.ASCII.GetBytes(Pick(["\"\\ud800\"", "\"x\\udc00y\"", "\"abc\\ud83d\"", "\"\\ude00\\ud83d\""]));
                break;
            case 2: // a number out of range of its field
                (field, value) = Pick(new (string, string)[]
                {
                    ("rating", "1e400"), ("rating", "-1e400"), ("rating_scale", "1e999"), ("rating", "\"1e400\""),
                    ("latency_ms", "1e30"), ("latency_ms", "99999999999999999999"), ("input_tokens", "-1"),
                    ("display_position", "100000"), ("output_tokens", "2147483648"),
                }) is var (f, v) ? (f, Encoding.ASCII.GetBytes(v)) : default;
                break;
            case 3: // the wrong JSON type
                (field, value) = Pick(new (string, string)[]
                {
                    ("event_id", "123"), ("timestamp", "true"), ("request", "5"), ("metadata", "[1]"), ("metadata", "{\"k\":1}"),
                    ("turn_id", "{}"), ("kind", "[]"), ("alternative_turn_ids", "\"x\""), ("user_id", "null"), ("rating", "\"five\""),
                    ("event_id", "\"not-a-uuid\""), ("timestamp", "\"yesterday\""), ("control_visible", "\"yes\""),
                }) is var (f2, v2) ? (f2, Encoding.ASCII.GetBytes(v2)) : default;
                break;
            case 4: // nesting deeper than an event may be, but within what the envelope allows
                field = Pick(["metadata", "request", "extra"]);
                var depth = random.Next(70, 110);
                value = Encoding.ASCII.GetBytes(new string('[', depth) + new string(']', depth));
                break;
            case 5: // an oversized field
                (field, value) = random.Next(2) == 0
                    ? ("user_id", Encoding.ASCII.GetBytes("\"" + new string('u', 201) + "\""))
                    : ("response", Encoding.ASCII.GetBytes("\"" + new string('r', 200_001) + "\""));
                break;
            case 6: // invalid UTF-8 or a lone surrogate in a metadata key or value
                field = "metadata";
                value = random.Next(2) == 0
                    ? [.. "{\"k\\ud800\":\"v\"}"u8]
                    : [.. "{\"k\":\"v"u8, .. Pick(InvalidUtf8), .. "\"}"u8];
                break;
            case 7: // an event that is not an object
                return "\u0001" + Pick(["5", "\"event\"", "null", "[]", "true"]);
            default: // a valid shape with an invalid kind-specific value
                (field, value) = Pick(new (string, string)[]
                {
                    ("kind", "\"shrug\""), ("timestamp", "\"1999-12-31T23:59:59Z\""), ("timestamp", "\"2999-01-01T00:00:00Z\""),
                    ("event_id", "\"00000000-0000-0000-0000-000000000000\""),
                    ("timestamp", "\"0001-01-01T00:00:00Z\""), ("timestamp", "\"9999-12-31T23:59:59Z\""),
                }) is var (f3, v3) ? (f3, Encoding.ASCII.GetBytes(v3)) : default;
                break;
        }
        e[field] = "__HOSTILE__";
        var text = e.ToJsonString();
        var at = text.IndexOf(Placeholder, StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text[..at]).Concat(value).Concat(Encoding.UTF8.GetBytes(text[(at + Placeholder.Length)..]));
        return "\u0001" + new string(bytes.Select(b => (char)b).ToArray());
    }

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xF0, 0x9F, 0x98],
    ];

    /// <summary>A request that is broken as a whole (or sent with a bad key): it may get any client error, never a 5xx.</summary>
    public (byte[] Body, string? ContentType, string? ContentEncoding, string? Authorization, string What) BrokenRequest(string key)
    {
        var (body, _, _) = MixedBatch();
        string? contentType = "application/json";
        string? encoding = null;
        var authorization = "Bearer " + key;
        string what;
        switch (random.Next(10))
        {
            case 0:
                what = "byte flips";
                body = (byte[])body.Clone();
                for (var flips = random.Next(1, 6); flips > 0; flips--) body[random.Next(body.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                what = "truncation";
                body = body[..random.Next(body.Length)];
                break;
            case 2:
                what = "bad envelope";
                body = Encoding.UTF8.GetBytes(Pick([
                    "", "null", "[]", "{}", "{\"events\":{}}", "{\"events\":[]}", "{\"events\":\"x\"}", "{\"events\":null}", "\"events\"",
                    "{\"events\":[" + new string('[', 100_000), new string('{', 5_000), "{\"events\":[]} trailing", "\ufeff{\"events\":[{}]}",
                    "{\"ev\\ud800ents\":[]}", "{\"events\":[{\"a\":1}],\"events\":5}",
                ]));
                break;
            case 3:
                what = "bad content type";
                contentType = Pick<string?>([null, "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "multipart/form-data; boundary=x", ";;;", "application/json/"]);
                break;
            case 4:
                what = "bad encoding";
                encoding = Pick(["gzip", "br", "deflate", "gzip, gzip", "identity, gzip", "x"]);
                if (encoding == "gzip" && random.Next(2) == 0) body = Gzip(body)[..random.Next(1, 30)]; // truncated gzip
                break;
            case 5:
                what = "gzip bomb or oversized";
                body = random.Next(2) == 0 ? Gzip(new byte[6 * 1024 * 1024]) : Gzip(Encoding.UTF8.GetBytes("{\"events\":[" + string.Join(',', Enumerable.Repeat("{}", 1001)) + "]}"));
                encoding = "gzip";
                break;
            case 6:
                what = "bad key";
                authorization = Pick<string?>([null, "", "Bearer", "Bearer ", "Basic dTpw", "Bearer fbw_" + Guid.NewGuid(), "Bearer " + key + "x", "bearer " + key[..^1], "Bearer fbr_x", "Bearer " + new string('k', 8000)]);
                break;
            case 7:
                what = "valid gzip";
                body = Gzip(body);
                encoding = "gzip";
                break;
            case 8:
                what = "control characters";
                body = Encoding.UTF8.GetBytes("{\"events\":[{\"event_id\":\"a\u0000b\",\"kind\":\"turn\u0001\"}]}");
                break;
            default:
                what = "valid";
                break;
        }
        return (body, contentType, encoding, authorization, what);
    }

    public static byte[] Gzip(byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(body);
        return buffer.ToArray();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
