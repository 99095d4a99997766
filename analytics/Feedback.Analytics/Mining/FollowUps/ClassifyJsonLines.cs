using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Feedback.Analytics.Mining.FollowUps;

/// <summary>
/// `feedback classify`: JSON Lines in ({prompt, response, followup, ...}), the same objects out with
/// label and confidence added, in input order. A bad line gets an error on stderr naming its line number and
/// makes the exit code 1; the other lines are still classified.
/// </summary>
public static class ClassifyJsonLines
{
    // Lines are classified a batch at a time: the sentence encoder embeds a batch much faster than its lines one by one.
    private const int Batch = 256;

    private static readonly string[] Fields = ["prompt", "response", "followup"];

    // Non-ASCII text stays readable in the output; it is JSON Lines for tools, not HTML.
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(TextReader input, TextWriter output, TextWriter error, Func<FollowUpClassifier> classifier, CancellationToken cancellationToken = default)
    {
        var failed = false;
        FollowUpClassifier? loaded = null; // loaded on the first valid line, so bad input alone answers fast
        var pending = new List<JsonObject>(Batch);
        var number = 0;
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            var obj = Parse(line);
            var problem = obj is null ? "not a JSON object" : Problem(obj);
            if (obj is null || problem is not null)
            {
                await error.WriteLineAsync($"line {number}: {problem}").ConfigureAwait(false);
                failed = true;
                continue;
            }
            pending.Add(obj);
            if (pending.Count == Batch) await WriteAsync(loaded ??= classifier(), pending, output).ConfigureAwait(false);
        }
        if (pending.Count > 0) await WriteAsync(loaded ??= classifier(), pending, output).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return failed ? 1 : 0;
    }

    private static async Task WriteAsync(FollowUpClassifier classifier, List<JsonObject> lines, TextWriter output)
    {
        var predictions = classifier.ClassifyAll(lines.Select(obj => new FollowUp(Text(obj, "prompt"), Text(obj, "response"), Text(obj, "followup"))).ToList());
        foreach (var (obj, prediction) in lines.Zip(predictions))
        {
            obj["label"] = prediction.Label;
            obj["confidence"] = Math.Round(prediction.Confidence, 4);
            await output.WriteLineAsync(obj.ToJsonString(Output)).ConfigureAwait(false);
        }
        lines.Clear();
    }

    private static JsonObject? Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Problem(JsonObject obj)
    {
        foreach (var field in Fields)
        {
            if (!obj.TryGetPropertyValue(field, out var value))
                return $"missing field \"{field}\"";
            if (value?.GetValueKind() != JsonValueKind.String)
                return $"field \"{field}\" is not a string";
        }
        return null;
    }

    private static string Text(JsonObject obj, string field) => obj[field]!.GetValue<string>();
}
