using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Feedback.Events;

/// <summary>The one JSON setting for events everywhere: snake_case names, nulls left out.</summary>
public static class FeedbackJson
{
    /// <summary>Read-only serializer options for <see cref="FeedbackEvent"/> and batches of them.</summary>
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            // Events and exports are data files, never embedded in HTML: keep text readable (no \u003E for '>').
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new RequestConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Reads <c>"request"</c> as either a prompt string or a list of {role, content} messages.</summary>
    private sealed class RequestConverter : JsonConverter<IReadOnlyList<RequestMessage>>
    {
        public override IReadOnlyList<RequestMessage>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
                return [new RequestMessage("user", reader.GetString()!)];
            if (reader.TokenType != JsonTokenType.StartArray)
                throw new JsonException("request must be a string or an array of {role, content} messages");
            var messages = new List<RequestMessage>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    // A ClickHouse Tuple(role, content) read back as a two-item array.
                    var pair = JsonSerializer.Deserialize<string[]>(ref reader, options);
                    if (pair is not { Length: 2 }) throw new JsonException("a request message tuple needs a role and a content");
                    messages.Add(new RequestMessage(pair[0], pair[1]));
                    continue;
                }
                var message = JsonSerializer.Deserialize<MessageDto>(ref reader, options);
                if (message?.Role is null || message.Content is null)
                    throw new JsonException("each request message needs a role and a content");
                messages.Add(new RequestMessage(message.Role, message.Content));
            }
            return messages;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<RequestMessage> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var m in value)
            {
                writer.WriteStartObject();
                writer.WriteString("role", m.Role);
                writer.WriteString("content", m.Content);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }

        private sealed record MessageDto(string? Role, string? Content);
    }
}
